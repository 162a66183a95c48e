import type { Profile } from './types.js';

/** Every declared index as (database, collection, index name), sorted; the exporter labels index metrics with it. */
export function declaredIndexes(
  profile: Profile,
): Array<{ database: string; collection: string; index: string }> {
  const out: Array<{ database: string; collection: string; index: string }> = [];
  for (const [database, db] of Object.entries(profile.databases)) {
    for (const [collection, coll] of Object.entries(db.collections)) {
      for (const idx of coll.indexes) out.push({ database, collection, index: idx.name });
    }
  }
  const key = (r: (typeof out)[number]) => `${r.database}\u0000${r.collection}\u0000${r.index}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
