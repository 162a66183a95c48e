/**
 * Files named in the config are checked when it loads. EACCES cannot be made
 * for real here (tests may run as root, which reads any file), so the read
 * fails on purpose for one path.
 */
import { describe, expect, it, vi } from 'vitest';
import { baseConfigSchema } from './config.js';
import { loadConfig } from './config-loader.js';
import { ConfigError } from './errors.js';

const DENIED = '/secrets/unreadable-jwt';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (path === DENIED)
      throw Object.assign(new Error(`EACCES: permission denied, open '${DENIED}'`), { code: 'EACCES' });
    return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, readFileSync, default: { ...fs, readFileSync } };
});

describe('files named in the config', () => {
  it('an unreadable JWT or CA file is a config problem naming the file', () => {
    let error: unknown;
    try {
      loadConfig(baseConfigSchema, { settings: { 'arango.jwtFile': DENIED, 'arango.tls.caFile': DENIED } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: 'arango.jwtFile', message: `${DENIED} cannot be read (permission denied) (from flag --set)` },
      {
        path: 'arango.tls.caFile',
        message: `${DENIED} cannot be read (permission denied) (from flag --set)`,
      },
    ]);
  });
});
