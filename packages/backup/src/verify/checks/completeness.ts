/**
 * Completeness against the live database: documents the live collection held
 * before the backup started (by the profile's creation-time attribute) must
 * be in the restored copy. A backup that silently skipped documents fails
 * here even when its own counts and digests agree with themselves.
 */
import { randomInt } from 'node:crypto';
import type { Database } from 'arangojs';
import type { ChecksFile } from '../checks-file.js';
import type { CheckResult } from '../types.js';

/** Documents created before the backup started (ISO 8601 strings compare as text, epoch ms as numbers). */
const BEFORE = 'LET t = d[@attr] FILTER (IS_STRING(t) AND t < @iso) OR (IS_NUMBER(t) AND t < @ms)';

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
    const bind = {
      '@c': collection,
      attr: attribute,
      iso: backupStartedAt.toISOString(),
      ms: backupStartedAt.getTime(),
    };
    const [older = 0] = await (
      await live.query<number>(`FOR d IN @@c ${BEFORE} COLLECT WITH COUNT INTO n RETURN n`, bind)
    ).all();
    // A window at a random offset in key order: spread over runs, cheap on the primary index.
    const offset = randomInt(Math.max(1, older - config.sample + 1));
    const keys = await (
      await live.query<string>(`FOR d IN @@c ${BEFORE} SORT d._key LIMIT @offset, @n RETURN d._key`, {
        ...bind,
        offset,
        n: config.sample,
      })
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
