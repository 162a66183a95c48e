/** Explain: the plan ArangoDB would show, built from the same access plan execution uses. */
export { type BuiltPlan, buildPlan } from './builder.js';
