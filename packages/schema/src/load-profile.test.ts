import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@arangops/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/harness/temp-dir.js';
import { loadProfile, parseProfile } from './load-profile.js';
import { DEFAULT_PROFILE_DIR } from './paths.js';

async function profileDir(text: string): Promise<string> {
  const dir = tempDir('profile');
  await writeFile(join(dir, 'schema.yaml'), text);
  return dir;
}

async function loadError(text: string): Promise<{ dir: string; error: InputError }> {
  const dir = await profileDir(text);
  const error = await loadProfile(dir).then(
    () => {
      throw new Error('expected the profile to be rejected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return { dir, error: error as InputError };
}

const TYPO = `version: 1
databases:
  shop:
    collections:
      products:
        indexes:
          - name: idx_products_name
            type: persistant
            fields: [name]
`;

describe('loadProfile', () => {
  it('loads the shipped CodeValdCortex profile', async () => {
    const { profile, file } = await loadProfile(DEFAULT_PROFILE_DIR);
    expect(file).toBe(join(DEFAULT_PROFILE_DIR, 'schema.yaml'));
    expect(Object.keys(profile.databases.codevaldcortex!.collections).sort()).toEqual([
      'agent_communications',
      'agents',
      'workflow_executions',
    ]);
    expect(profile.databases.codevaldcortex!.collections.agent_communications!.type).toBe('edge');
  });

  it('names the shipped profiles when a builtin name is unknown', async () => {
    await expect(loadProfile('builtin:nope')).rejects.toThrow(
      new InputError('unknown shipped profile builtin:nope; shipped: codevaldcortex', { field: 'profile' }),
    );
    expect((await loadProfile('builtin:codevaldcortex')).dir).toBe(DEFAULT_PROFILE_DIR);
  });

  it('names file, line and column of an unknown index type', async () => {
    const { dir, error } = await loadError(TYPO);
    expect(error.message).toBe(
      `${join(dir, 'schema.yaml')}:8:19 (databases.shop.collections.products.indexes.0.type): unknown index type "persistant"; expected one of persistent, ttl, geo, fulltext, inverted, mdi, mdi-prefixed`,
    );
    expect(error.location).toEqual({
      file: join(dir, 'schema.yaml'),
      line: 8,
      column: 19,
      field: 'databases.shop.collections.products.indexes.0.type',
    });
    expect(error.exitCode).toBe(2);
  });

  it('names file, line and column of bad YAML', async () => {
    const { dir, error } = await loadError('version: 1\ndatabases:\n  shop: {collections: [\n');
    expect(error.message).toBe(
      `${join(dir, 'schema.yaml')}:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    expect(() => parseProfile('version: 1\ndatabases:\n  shop:\n\tcollections: {}\n', 'p.yaml')).toThrow(
      'p.yaml:4:1: invalid YAML: Tabs are not allowed as indentation',
    );
  });

  it('explains legacy index types', () => {
    expect(() => parseProfile(TYPO.replace('persistant', 'hash'), 'p.yaml')).toThrow(
      'p.yaml:8:19 (databases.shop.collections.products.indexes.0.type): index type "hash" is a legacy name (an alias of "persistent", removed in ArangoDB 4.0); declare type: persistent',
    );
  });

  it('points at an unknown key', () => {
    const text =
      'version: 1\ndatabases:\n  shop:\n    collections:\n      products:\n        waitForSnyc: true\n';
    expect(() => parseProfile(text, 'p.yaml')).toThrow(
      'p.yaml:6:9 (databases.shop.collections.products.waitForSnyc): unknown key "waitForSnyc"',
    );
  });

  it('rejects an inline password', () => {
    const text = 'version: 1\ndatabases: {}\nusers:\n  reader:\n    password: hunter2\n';
    let message = '';
    try {
      parseProfile(text, 'p.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'p.yaml:5:15 (users.reader.password): inline passwords are not allowed; use password: { env: VARIABLE } or password: { file: /path }',
    );
    expect(message).not.toContain('hunter2');
  });

  it('lists every problem, each with its position', () => {
    const text = 'version: 2\ndatabases:\n  shop:\n    collections:\n      p:\n        type: vertex\n';
    expect(() => parseProfile(text, 'p.yaml')).toThrow(
      'p.yaml:1:10 (version): Invalid input: expected 1\n  p.yaml:6:15 (databases.shop.collections.p.type): Invalid option: expected one of "document"|"edge"',
    );
  });

  it('fails clearly when the folder has no schema.yaml', async () => {
    const dir = tempDir('profile');
    await expect(loadProfile(dir)).rejects.toThrow(
      `${join(dir, 'schema.yaml')}: cannot read profile: ENOENT`,
    );
  });
});
