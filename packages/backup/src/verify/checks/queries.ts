/** The profile's checks.yaml queries, run against the restored database. */
import { isArangoServerError, toArangopsError } from '@arangops/core';
import type { Database } from 'arangojs';
import type { QueryCheck } from '../checks-file.js';
import type { CheckResult } from '../types.js';

/** Rows kept for the `expect` expression; a check needing more should aggregate in its query. */
const MAX_ROWS = 10_000;
const COLLECTION_NOT_FOUND = 1203;

export async function queryCheck(db: Database, check: QueryCheck): Promise<CheckResult> {
  const name = `query:${check.name}`;
  const fail = (reason: string, details?: unknown): CheckResult => ({
    name,
    status: 'fail',
    reason,
    ...(details ? { details } : {}),
  });
  try {
    if (check.mustUseIndex) {
      const explained = (await db.explain({ query: check.query, bindVars: check.bindVars })) as {
        plan?: { nodes?: { type: string; indexes?: { name?: string }[] }[] };
      };
      const used = (explained.plan?.nodes ?? [])
        .filter((n) => n.type === 'IndexNode')
        .flatMap((n) => (n.indexes ?? []).map((i) => i.name ?? ''));
      if (!used.includes(check.mustUseIndex)) {
        return fail(
          `the plan does not use index ${check.mustUseIndex} (${used.length ? `uses ${used.join(', ')}` : 'no index: full scan'})`,
          { indexesUsed: used },
        );
      }
    }
    const cursor = await db.query({ query: check.query, bindVars: check.bindVars }, { count: true });
    const rows: unknown[] = [];
    for await (const row of cursor) if (rows.length < MAX_ROWS) rows.push(row);
    const total = cursor.count ?? rows.length;
    if (total < check.minRows) return fail(`returned ${total} row(s), at least ${check.minRows} required`);
    if (check.expect) {
      const [ok] = await (await db.query({ query: `RETURN (${check.expect})`, bindVars: { rows } })).all();
      if (ok !== true) return fail(`expectation not met: ${check.expect}`, { rows: total });
    }
    return {
      name,
      status: 'pass',
      reason: `returned ${total} row(s)${check.expect ? ', expectation met' : ''}${check.mustUseIndex ? `, uses ${check.mustUseIndex}` : ''}`,
    };
  } catch (e) {
    const err = toArangopsError(e);
    // A query over collections this backup does not hold (another application's dump) does not apply.
    if (isArangoServerError(err, COLLECTION_NOT_FOUND)) {
      return { name, status: 'skipped', reason: `does not apply to this backup: ${err.message}` };
    }
    return fail(`the query failed: ${err.message}`);
  }
}
