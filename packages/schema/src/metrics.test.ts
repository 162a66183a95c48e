import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { recordDriftMetrics, registerSchemaMetrics } from './metrics.js';
import type { DriftReport } from './types.js';

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
