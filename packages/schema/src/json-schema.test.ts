import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { profileJsonSchema } from './json-schema.js';
import { DEFAULT_PROFILE_DIR } from './paths.js';

const committed = readFileSync(new URL('../profile.schema.json', import.meta.url), 'utf8');

describe('profile.schema.json', () => {
  it('is up to date with the zod model (run `npm run generate -w @arangops/schema`)', () => {
    expect(committed).toBe(profileJsonSchema());
  });

  it('accepts the shipped profile and rejects a typo, as editors will', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed));
    const profile = parse(readFileSync(`${DEFAULT_PROFILE_DIR}/schema.yaml`, 'utf8'));
    expect(validate(profile), JSON.stringify(validate.errors)).toBe(true);
    profile.databases.codevaldcortex.collections.agents.waitForSnyc = true;
    expect(validate(profile)).toBe(false);
  });
});
