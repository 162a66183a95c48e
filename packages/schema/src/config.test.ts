import { describe, expect, it } from 'vitest';
import { schemaConfigSchema } from './config.js';
import { DEFAULT_PROFILE_DIR } from './paths.js';

describe('schemaConfigSchema', () => {
  it('parses {} with defaults', () => {
    expect(schemaConfigSchema.parse({})).toEqual({
      profileDir: DEFAULT_PROFILE_DIR,
      ignore: [],
      failOn: 'additive',
      sampleSize: 0,
      waitTimeoutSeconds: 300,
    });
  });
  it('resolves builtin: names and rejects unknown ones', () => {
    expect(schemaConfigSchema.parse({ profileDir: 'builtin:codevaldcortex' }).profileDir).toBe(
      DEFAULT_PROFILE_DIR,
    );
    expect(schemaConfigSchema.parse({ profileDir: '/etc/profile' }).profileDir).toBe('/etc/profile');
    const bad = schemaConfigSchema.safeParse({ profileDir: 'builtin:shop' });
    expect(bad.error?.issues[0]?.message).toBe(
      'unknown shipped profile builtin:shop; shipped: codevaldcortex',
    );
  });

  it('rejects an unknown class', () => {
    expect(schemaConfigSchema.safeParse({ failOn: 'severe' }).success).toBe(false);
  });
});
