import { readFile } from 'node:fs/promises';
import { InputError, registerSecret } from '@arangops/core';
import type { UserSpec } from './types.js';

/**
 * Reads a user's password from the environment variable or file the profile
 * names. The value is registered as a secret so no log line can carry it; the
 * error names only the user and the source.
 */
export async function resolvePassword(
  user: string,
  spec: UserSpec,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const source = spec.password;
  if ('env' in source) {
    const value = env[source.env];
    if (!value) {
      throw new InputError(`password of user "${user}": environment variable ${source.env} is not set`, {
        field: `users.${user}.password.env`,
      });
    }
    registerSecret(value);
    return value;
  }
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (e) {
    throw new InputError(
      `password of user "${user}": cannot read ${source.file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      { field: `users.${user}.password.file` },
      { cause: e },
    );
  }
  const value = text.replace(/\r?\n$/, '');
  if (!value) {
    throw new InputError(`password of user "${user}": ${source.file} is empty`, {
      field: `users.${user}.password.file`,
    });
  }
  registerSecret(value);
  return value;
}
