import { InputError } from '@arangops/core';

const SIMULATOR_PACKAGE = '@arangops/arangodb-sim';

/**
 * The ArangoDB simulator, for `demo` and `sim` only. It is an optional
 * dependency: a production install (`npm ci --omit=optional`) leaves it out,
 * and then these commands say so instead of failing with a stack trace.
 */
export async function loadSimulator() {
  try {
    return await import('@arangops/arangodb-sim');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ERR_MODULE_NOT_FOUND' || !err.message.includes(SIMULATOR_PACKAGE)) throw e;
    throw new InputError(
      `the ArangoDB simulator is not installed (${SIMULATOR_PACKAGE} is optional and left out of production installs): install it, or point arangops at a server with ARANGO_URL`,
      {},
      { cause: e },
    );
  }
}
