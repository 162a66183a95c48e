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
  it('rejects an unknown class', () => {
    expect(schemaConfigSchema.safeParse({ failOn: 'severe' }).success).toBe(false);
  });
});
