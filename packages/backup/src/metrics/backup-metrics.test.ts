import { execFileSync } from 'node:child_process';
import { ArangoServerError, InputError } from '@arangops/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../../../test/harness/tools.js';
import { KeyError, StoreError } from '../errors.js';
import type { BackupResult } from '../job/run-backup.js';
import { failureReason, recordBackupMetrics, registerBackupMetrics } from './backup-metrics.js';

const result = {
  backupId: 'b',
  durationSeconds: 12.5,
  storedBytes: 4096,
  documents: 321,
} as BackupResult;

describe('backup metrics', () => {
  it('records a success per database and failures by reason, on a page promtool accepts', async () => {
    const registry = new Registry();
    const metrics = registerBackupMetrics(registry);
    recordBackupMetrics(metrics, 'codevaldcortex', result, new Date('2026-12-05T02:00:00Z'));
    recordBackupMetrics(metrics, 'codevaldcortex', new StoreError('s3 down'));
    recordBackupMetrics(metrics, 'codevaldcortex', new StoreError('s3 down'));
    const page = await registry.metrics();
    expect(page).toContain(
      'arangops_backup_last_success_timestamp_seconds{database="codevaldcortex"} 1796436000',
    );
    expect(page).toContain('arangops_backup_duration_seconds{database="codevaldcortex"} 12.5');
    expect(page).toContain('arangops_backup_size_bytes{database="codevaldcortex"} 4096');
    expect(page).toContain('arangops_backup_documents{database="codevaldcortex"} 321');
    expect(page).toContain('arangops_backup_failures_total{database="codevaldcortex",reason="store"} 2');
    const promtool = requireTool('promtool', 'metrics lint');
    if (promtool)
      expect(execFileSync(promtool, ['check', 'metrics'], { input: page, encoding: 'utf8' }).trim()).toBe('');
  });

  it('names the failure reason from the error type', () => {
    expect(failureReason(new KeyError('kms'))).toBe('key');
    expect(failureReason(new StoreError('s3'))).toBe('store');
    expect(failureReason(new ArangoServerError('boom', 1200, 409))).toBe('arango');
    expect(failureReason(new InputError('bad'))).toBe('input');
    expect(failureReason(new Error('bug'))).toBe('internal');
  });
});
