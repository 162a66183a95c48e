export { BACKUP_MANIFEST_FILE } from './format/layout.js';
