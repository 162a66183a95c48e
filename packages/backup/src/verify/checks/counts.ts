import type { Database } from 'arangojs';
import type { RestoreSummary } from '../../restore/index.js';
import type { CheckResult } from '../types.js';

/** Per collection: the restored count equals the expected one, and the server refused nothing. */
export async function countsCheck(
  db: Database,
  expected: Record<string, number>,
  summary: RestoreSummary,
  source: string,
): Promise<CheckResult> {
  const mismatches: { collection: string; expected: number; restored: number; refused?: string[] }[] = [];
  const collections: Record<string, number> = {};
  for (const [name, want] of Object.entries(expected).sort()) {
    const restored = summary.collections.find((c) => c.name === name);
    const got = restored ? (await db.collection(name).count()).count : 0;
    collections[name] = got;
    if (got !== want || (restored?.errors ?? 0) > 0) {
      mismatches.push({
        collection: name,
        expected: want,
        restored: got,
        ...(restored?.errors ? { refused: restored.errorSamples } : {}),
      });
    }
  }
  if (mismatches.length === 0) {
    return {
      name: 'counts',
      status: 'pass',
      reason: `${Object.keys(expected).length} collections hold the ${source} counts`,
      details: { collections },
    };
  }
  const first = mismatches[0]!;
  return {
    name: 'counts',
    status: 'fail',
    reason: `${mismatches.length} collection(s) differ from the ${source}, e.g. ${first.collection}: expected ${first.expected}, restored ${first.restored}${first.refused ? ` (${first.refused[0]})` : ''}`,
    details: { collections, mismatches },
  };
}
