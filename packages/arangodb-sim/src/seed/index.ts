export {
  agentKey,
  agents,
  type CodeValdSizes,
  communications,
  DEFAULT_SIZES,
  DESIGN_INDEXES,
  executions,
} from './codevald.js';
export { mulberry32, Rng } from './prng.js';
