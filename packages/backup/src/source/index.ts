export { type OpenBackupOptions, type OpenedBackup, openBackup } from './backup.js';
export { type DumpFile, type DumpFiles, localDumpFiles, storeDumpFiles } from './files.js';
export {
  type DumpCollection,
  type DumpDatabase,
  type DumpInventory,
  type DumpJson,
  type DumpProblem,
  type DumpView,
  md5Hex,
  readDumpInventory,
} from './inventory.js';
export { countDocuments, DumpLineError, type DumpOperation, dumpOperations, readJsonFile } from './read.js';
