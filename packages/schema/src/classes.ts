import type { DriftClass } from './types.js';

/** Drift classes from harmless to data-losing; `--fail-on` picks a threshold on this scale. */
export const DRIFT_CLASSES: readonly DriftClass[] = ['additive', 'mutable', 'recreate', 'destructive'];

export function classRank(c: DriftClass): number {
  return DRIFT_CLASSES.indexOf(c);
}

export function worstClass(classes: Iterable<DriftClass>): DriftClass {
  let worst: DriftClass = 'additive';
  for (const c of classes) if (classRank(c) > classRank(worst)) worst = c;
  return worst;
}
