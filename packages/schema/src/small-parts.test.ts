import { InputError } from '@arangops/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { schemaConfigSchema } from './config.js';
import { declaredIndexes } from './declared.js';
import { compileIgnore } from './ignore.js';
import { loadProfile } from './load-profile.js';
import { recordDriftMetrics, registerSchemaMetrics } from './metrics.js';
import { resolvePassword } from './passwords.js';
import { DEFAULT_PROFILE_DIR } from './paths.js';
import { assertScratchDatabaseName } from './scratch.js';
import type { DriftReport } from './types.js';

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

describe('compileIgnore', () => {
  const ignored = compileIgnore(['codevaldcortex/collections/tmp_*', 'users/**/grants/_system']);
  it.each([
    ['codevaldcortex/collections/tmp_1', true],
    ['codevaldcortex/collections/tmp_1/indexes/idx_x', true],
    ['codevaldcortex/collections/agents', false],
    ['codevaldcortex/collections/agents/indexes/tmp_1', false],
    ['users/x/grants/_system', true],
    ['users/x/grants/shop', false],
  ])('%s → %s', (path, expected) => {
    expect(ignored(path)).toBe(expected);
  });
});

describe('assertScratchDatabaseName', () => {
  it('accepts arangops_verify_* names only', () => {
    expect(() => assertScratchDatabaseName('arangops_verify_20260101-0200')).not.toThrow();
    for (const bad of [
      'codevaldcortex',
      '_system',
      'arangops_verify_',
      'arangops_verify_../x',
      'xarangops_verify_1',
    ]) {
      expect(() => assertScratchDatabaseName(bad)).toThrow(InputError);
    }
    expect(() => assertScratchDatabaseName('codevaldcortex')).toThrow(
      'database: refusing to create or drop database "codevaldcortex": verification may only use databases named arangops_verify_<id>',
    );
  });
});

describe('declaredIndexes', () => {
  it('lists the shipped profile indexes, sorted', async () => {
    const { profile } = await loadProfile(DEFAULT_PROFILE_DIR);
    const indexes = declaredIndexes(profile);
    expect(indexes).toContainEqual({
      database: 'codevaldcortex',
      collection: 'agent_communications',
      index: 'idx_comms_ttl',
    });
    expect(indexes.map((i) => `${i.collection}/${i.index}`)).toEqual(
      [...indexes.map((i) => `${i.collection}/${i.index}`)].sort(),
    );
    expect(indexes).toHaveLength(13);
  });
});

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

describe('schema metrics', () => {
  it('exposes counts per class and kind, legacy types and success', async () => {
    const registry = new Registry();
    const metrics = registerSchemaMetrics(registry);
    const report = {
      items: [{ path: 'a', kind: 'index', change: 'missing', class: 'additive', message: '' }],
      deprecations: [
        { path: 'x', type: 'hash', message: '' },
        { path: 'y', type: 'hash', message: '' },
      ],
      samples: [{ database: 'd', collection: 'c', sampled: 4, nonConforming: 1 }],
      durationSeconds: 0.25,
    } as unknown as DriftReport;
    recordDriftMetrics(metrics, report, new Date(1_700_000_000_000));
    const text = await registry.metrics();
    expect(text).toContain('arangops_schema_drift_items{class="additive",kind="index"} 1');
    expect(text).toContain('arangops_schema_drift_items{class="destructive",kind="collection"} 0');
    expect(text).toContain('arangops_schema_legacy_index_types{type="hash"} 2');
    expect(text).toContain('arangops_schema_check_success 1');
    expect(text).toContain('arangops_schema_check_duration_seconds 0.25');
    expect(text).toContain('arangops_schema_check_last_success_timestamp_seconds 1700000000');
    expect(text).toContain('arangops_schema_nonconforming_documents_ratio{collection="d/c"} 0.25');
    recordDriftMetrics(metrics, new Error('down'));
    expect(await registry.metrics()).toContain('arangops_schema_check_success 0');
  });
});
