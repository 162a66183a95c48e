import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE_DIR } from '@arangops/schema';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { recordVerifyMetrics, registerVerifyMetrics, verifyRunRecord } from '../metrics/verify-metrics.js';
import { loadChecksFile, parseChecksFile } from './checks-file.js';
import { type VerifyResult, verifyResultJsonSchema } from './result.js';
import { assertScratchTarget, LEASE_DATABASE, scratchDatabaseName } from './scratch.js';

describe('scratch database guard', () => {
  it('accepts only scratch-prefixed names that are neither the lease database nor a source database', () => {
    expect(() => assertScratchTarget('codevaldcortex', ['codevaldcortex'])).toThrow(
      /may only use databases named arangops_verify_<id>/,
    );
    expect(() => assertScratchTarget('_system', [])).toThrow(/refusing to create or drop database "_system"/);
    expect(() => assertScratchTarget('arangops_verify_x', ['arangops_verify_x'])).toThrow(
      /a database the backup was taken from/,
    );
    expect(() => assertScratchTarget(LEASE_DATABASE, [])).toThrow(/the verifier's lease database/);
    expect(() => assertScratchTarget('arangops_verify_20261205T020000Z-cvc_ab12', ['cvc'])).not.toThrow();
  });

  it('names scratch databases after the backup, unique per run, within the guard', () => {
    const a = scratchDatabaseName('20261205T020000Z-codevaldcortex-3f9a');
    expect(a).toMatch(/^arangops_verify_20261205T020000Z-codevaldcortex-3f9a_[0-9a-f]{4}$/);
    expect(scratchDatabaseName('x'.repeat(80)).length).toBeLessThanOrEqual('arangops_verify_'.length + 48);
    expect(() => assertScratchTarget(scratchDatabaseName('weird name/with:chars'), [])).not.toThrow();
  });
});

describe('checks.yaml', () => {
  it('the CodeValdCortex profile ships the design queries and completeness attributes', async () => {
    const checks = (await loadChecksFile(DEFAULT_PROFILE_DIR))!;
    expect(checks.queries.map((q) => q.name)).toEqual(['FindActiveAgentsByType', 'GetCommunicationGraph']);
    expect(checks.queries[0]).toMatchObject({ minRows: 1, mustUseIndex: 'idx_agents_type_status_createdAt' });
    expect(checks.completeness?.collections).toEqual({
      agents: 'createdAt',
      workflow_executions: 'startTime',
      agent_communications: 'timestamp',
    });
  });

  it('names the file, line and field of a mistake', () => {
    expect(() =>
      parseChecksFile('version: 1\nqueries:\n  - name: a\n    query: 1\n    minRows: -1\n', 'c.yaml'),
    ).toThrow(/^c\.yaml:4:12 \(queries\.0\.query\): /);
    expect(() =>
      parseChecksFile(
        'version: 1\nqueries:\n  - { name: a, query: x }\n  - { name: a, query: y }\n',
        'c.yaml',
      ),
    ).toThrow('c.yaml (queries): query name "a" is used twice');
    expect(() => parseChecksFile('version: 2\n', 'c.yaml')).toThrow(/c\.yaml:1:10 \(version\)/);
  });
});

const RESULT: VerifyResult = {
  schemaVersion: 1,
  tool: { name: 'arangops', version: '0.1.0' },
  verdict: 'fail',
  backup: {
    id: 'b1',
    kind: 'arangops',
    location: 'file:///s/backups/b1/',
    startedAt: '2026-12-05T02:00:00.000Z',
    ageSeconds: 3600,
  },
  startedAt: '2026-12-05T03:00:00.000Z',
  finishedAt: '2026-12-05T03:00:10.000Z',
  restored: true,
  restoredDocuments: 42,
  databases: [],
  checks: [
    { name: 'counts', status: 'pass', reason: 'ok' },
    { name: 'edges', status: 'fail', reason: '1 dangling edge(s)' },
    { name: 'completeness', status: 'skipped', reason: 'no live database' },
  ],
  phases: { restore: 4.5, checks: 1.25 },
};

describe('verify metrics and run record', () => {
  it('exposes the verdict, each check, each phase and the backup age', async () => {
    const registry = new Registry();
    recordVerifyMetrics(registerVerifyMetrics(registry), RESULT);
    const page = await registry.metrics();
    for (const line of [
      'arangops_verify_last_run_timestamp_seconds 1796439610',
      'arangops_verify_success 0',
      'arangops_verify_check_success{check="counts"} 1',
      'arangops_verify_check_success{check="edges"} 0',
      'arangops_verify_phase_duration_seconds{phase="restore"} 4.5',
      'arangops_verify_restored_documents 42',
      'arangops_backup_age_seconds 3600',
    ]) {
      expect(page).toContain(line);
    }
    expect(page).not.toContain('check="completeness"');
    // Never succeeded in this process: 0, so an age alert fires rather than stays silent.
    expect(page).toContain('arangops_verify_last_success_timestamp_seconds 0');
    expect(verifyRunRecord(RESULT)).toMatchObject({
      job: 'verify',
      success: false,
      durationSeconds: 10,
      summary: { checks: 3, failed: 1, skipped: 1, restoredDocuments: 42, restoreSeconds: 4.5 },
      message: 'backup b1 failed edges: 1 dangling edge(s)',
    });
  });
});

describe('result JSON Schema', () => {
  it('the documented schema file is generated from the result schema', () => {
    const file = join(import.meta.dirname, '../../verify-result.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(verifyResultJsonSchema());
  });
});
