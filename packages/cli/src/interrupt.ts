import { ArangopsError, EXIT_CODES } from '@arangops/core';

/** Ended by SIGINT/SIGTERM after cleaning up (a scratch or half-restored database dropped). */
export class InterruptedError extends ArangopsError {
  override name = 'InterruptedError';
  override readonly exitCode = EXIT_CODES.unavailable;
}

/** An AbortSignal that SIGINT or SIGTERM aborts while `dispose` has not been called. */
export function abortOnSignal(): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => abort.abort(new InterruptedError(`interrupted by ${signal}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Like {@link abortOnSignal}, but the first SIGINT/SIGTERM only starts
 * `graceMs`: the work may finish in that time; then (or on a second signal)
 * the signal aborts.
 */
export function abortAfterGrace(
  graceMs: number,
  onSignal: (signal: NodeJS.Signals) => void = () => undefined,
): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const handle = (signal: NodeJS.Signals) => {
    const stop = () => abort.abort(new InterruptedError(`interrupted by ${signal}`));
    if (timer) return stop();
    onSignal(signal);
    timer = setTimeout(stop, graceMs);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return {
    signal: abort.signal,
    dispose: () => {
      clearTimeout(timer);
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    },
  };
}
