export { BACKUP_MANIFEST_FILE } from './format/layout.js';
export * from './restore/index.js';
export * from './source/index.js';
