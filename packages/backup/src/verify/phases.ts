import { performance } from 'node:perf_hooks';
import type { Phase } from './types.js';

export type PhaseTimings = Partial<Record<Phase, number>>;

/** Runs `fn`, adding its seconds to `timings[phase]` (whether it succeeds or not). */
export async function timePhase<T>(timings: PhaseTimings, phase: Phase, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[phase] = (timings[phase] ?? 0) + (performance.now() - t0) / 1000;
  }
}
