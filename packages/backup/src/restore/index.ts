export { DEFAULT_RESTORE_PARALLEL } from '../verify/config.js';
export {
  type RestoredCollection,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreSummary,
  restoreDatabase,
} from './engine.js';
export type { Placement } from './structure.js';
