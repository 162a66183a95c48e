/**
 * The sort-limit rule: a SORT directly followed by LIMIT only has to keep the first offset+count rows,
 * which ArangoDB does with a constrained heap. Not applied when that LIMIT must report fullCount.
 */
import type { Statement } from './ast.js';
import { constantValue } from './index-selection.js';

export function sortLimit(
  next: Statement | undefined,
  fullCountLimit: Statement | undefined,
  bindVars: Record<string, unknown>,
): number | undefined {
  if (next?.kind !== 'limit' || next === fullCountLimit) return undefined;
  const offset = constantValue(next.offset, bindVars);
  const count = constantValue(next.count, bindVars);
  if (!offset.known || !count.known || typeof offset.value !== 'number' || typeof count.value !== 'number') {
    return undefined;
  }
  return offset.value + count.value;
}
