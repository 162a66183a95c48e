import type { Database } from 'arangojs';
import type { CheckResult } from '../types.js';

const SAMPLE = 5;

/** Every edge's `_from` and `_to` resolve inside the restored database (arangorestore does not check this). */
export async function edgesCheck(db: Database, edgeCollections: string[]): Promise<CheckResult> {
  const dangling: {
    collection: string;
    count: number;
    sample: { _key: string; _from: string; _to: string }[];
  }[] = [];
  for (const name of edgeCollections) {
    const filter = 'FILTER DOCUMENT(e._from) == null OR DOCUMENT(e._to) == null';
    const [count] = await (
      await db.query<number>(`FOR e IN @@c ${filter} COLLECT WITH COUNT INTO n RETURN n`, { '@c': name })
    ).all();
    if (!count) continue;
    const sample = await (
      await db.query(
        `FOR e IN @@c ${filter} SORT e._key LIMIT @n RETURN { _key: e._key, _from: e._from, _to: e._to }`,
        {
          '@c': name,
          n: SAMPLE,
        },
      )
    ).all();
    dangling.push({ collection: name, count, sample });
  }
  if (dangling.length === 0) {
    return {
      name: 'edges',
      status: 'pass',
      reason:
        edgeCollections.length === 0
          ? 'no edge collections'
          : `every edge in ${edgeCollections.length} edge collection(s) points at an existing document`,
    };
  }
  const total = dangling.reduce((s, d) => s + d.count, 0);
  const first = dangling[0]!;
  const edge = first.sample[0];
  return {
    name: 'edges',
    status: 'fail',
    reason: `${total} dangling edge(s), e.g. ${first.collection}/${edge?._key} (${edge?._from} -> ${edge?._to})`,
    details: { dangling },
  };
}
