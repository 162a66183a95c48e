import type { Instance } from '../instance.js';
import { normaliseIndex } from '../storage/indexes.js';
import type { SeedOptions } from '../types.js';
import { agents, communications, DEFAULT_SIZES, DESIGN_INDEXES, executions } from './codevald.js';

/** Loads the CodeValdCortex data set into a simulator instance (creating the database if needed). */
export function loadSeed(inst: Instance, options: SeedOptions): void {
  const sizes = {
    agents: options.agents ?? DEFAULT_SIZES.agents,
    executions: options.executions ?? DEFAULT_SIZES.executions,
    communications: options.communications ?? DEFAULT_SIZES.communications,
    seed: options.seed ?? DEFAULT_SIZES.seed,
  };
  const name = options.database ?? 'codevaldcortex';
  const db = inst.databases.get(name) ?? inst.createDatabase(name, {});
  const now = inst.clock();
  const plan: [string, 2 | 3, Iterable<Record<string, unknown>>][] = [
    ['agents', 2, agents(sizes, now)],
    ['workflow_executions', 2, executions(sizes, now)],
    ['agent_communications', 3, communications(sizes, now)],
  ];
  for (const [collection, type, docs] of plan) {
    const c =
      db.collections.get(collection) ??
      db.addCollection(inst.collectionProps({ name: collection, type }, db.options));
    if (options.withSchema) {
      for (const req of DESIGN_INDEXES[collection] ?? []) {
        const props = normaliseIndex(req, inst.version, inst.cluster, () => inst.ids.indexName());
        c.ensureIndex(props, undefined, () => String(inst.ids.tick()));
      }
    }
    for (const doc of docs) c.insert(doc);
  }
}
