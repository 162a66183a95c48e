import { describe, expect, it } from 'vitest';
import { resolvePassword } from './passwords.js';

describe('resolvePassword', () => {
  it('reads env and names the missing variable without a value', async () => {
    const spec = { password: { env: 'PW_X' }, grants: {} };
    await expect(resolvePassword('reader', spec, { PW_X: 's3cret' })).resolves.toBe('s3cret');
    await expect(resolvePassword('reader', spec, {})).rejects.toThrow(
      'users.reader.password.env: password of user "reader": environment variable PW_X is not set',
    );
  });
  it('names a missing file', async () => {
    await expect(
      resolvePassword('reader', { password: { file: '/nonexistent/pw' }, grants: {} }),
    ).rejects.toThrow('password of user "reader": cannot read /nonexistent/pw (ENOENT)');
  });
});
