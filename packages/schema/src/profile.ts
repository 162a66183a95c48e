/**
 * The profile alone: loading it and the indexes it declares, for commands that read a profile
 * without the schema engine (the exporter, which would otherwise load ajv, the planner and the
 * differ into a process that lives for months).
 */
export { declaredIndexes } from './declared.js';
export { loadProfile, parseProfile } from './load-profile.js';
