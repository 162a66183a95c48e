/**
 * Completeness against the live database: documents the live collection held
 * before the backup started (by the profile's creation-time attribute) must
 * be in the restored copy. A backup that silently skipped documents fails
 * here even when its own counts and digests agree with themselves.
 */
import type { Database } from 'arangojs';
import type { ChecksFile } from '../checks-file.js';
import type { CheckResult } from '../types.js';

export async function completenessCheck(
  live: Database,
  restored: Database,
  config: NonNullable<ChecksFile['completeness']>,
  backupStartedAt: Date,
  restoredCollections: string[],
): Promise<CheckResult> {
  const missing: { collection: string; sampled: number; missing: string[] }[] = [];
  let sampled = 0;
  for (const [collection, attribute] of Object.entries(config.collections).sort()) {
    if (!restoredCollections.includes(collection)) continue;
    const keys = await (
      await live.query<string>(
        `FOR d IN @@c
           LET t = d[@attr]
           FILTER (IS_STRING(t) AND t < @iso) OR (IS_NUMBER(t) AND t < @ms)
           SORT RAND() LIMIT @n RETURN d._key`,
        {
          '@c': collection,
          attr: attribute,
          iso: backupStartedAt.toISOString(),
          ms: backupStartedAt.getTime(),
          n: config.sample,
        },
      )
    ).all();
    sampled += keys.length;
    if (keys.length === 0) continue;
    const absent = await (
      await restored.query<string>(
        'FOR k IN @keys FILTER DOCUMENT(CONCAT(@c, "/", k)) == null SORT k RETURN k',
        {
          keys,
          c: collection,
        },
      )
    ).all();
    if (absent.length > 0) missing.push({ collection, sampled: keys.length, missing: absent.slice(0, 10) });
  }
  if (missing.length === 0) {
    return {
      name: 'completeness',
      status: 'pass',
      reason: `all ${sampled} live document(s) sampled from before the backup started are in it`,
    };
  }
  const first = missing[0]!;
  return {
    name: 'completeness',
    status: 'fail',
    reason: `the backup lacks documents the live database had before it started, e.g. ${first.collection}/${first.missing[0]}`,
    details: { missing },
  };
}
