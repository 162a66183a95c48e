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
