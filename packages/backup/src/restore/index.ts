export {
  type RestoredCollection,
  type RestoreOptions,
  type RestoreProgress,
  type RestoreSummary,
  restoreDatabase,
} from './engine.js';
export type { Placement } from './structure.js';
