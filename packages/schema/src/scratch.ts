import { InputError } from '@arangops/core';

/** Prefix of the only databases backup verification may create and drop. */
export const SCRATCH_DATABASE_PREFIX = 'arangops_verify_';

const SCRATCH_NAME = /^arangops_verify_[A-Za-z0-9_-]{1,48}$/;

/**
 * ArangoDB cannot grant "create/drop only databases named like X": creating a
 * database needs rw on `_system`, which allows any name. So the verify user
 * gets that grant and every code path that creates or drops a database for
 * verification calls this guard first.
 */
export function assertScratchDatabaseName(name: string): void {
  if (!SCRATCH_NAME.test(name)) {
    throw new InputError(
      `refusing to create or drop database "${name}": verification may only use databases named ${SCRATCH_DATABASE_PREFIX}<id> (letters, digits, _ and -, at most 48)`,
      { field: 'database' },
    );
  }
}
