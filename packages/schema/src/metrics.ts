/**
 * Prometheus metrics of the drift check. Names are defined here only; the
 * exporter and the jobs runner register them on their own registry.
 */
import { Gauge, type Registry } from 'prom-client';
import { DRIFT_CLASSES } from './classes.js';
import type { DriftKind, DriftReport } from './types.js';

export const SCHEMA_METRICS = {
  driftItems: 'arangops_schema_drift_items',
  checkSuccess: 'arangops_schema_check_success',
  checkDuration: 'arangops_schema_check_duration_seconds',
  lastSuccess: 'arangops_schema_check_last_success_timestamp_seconds',
  legacyIndexTypes: 'arangops_schema_legacy_index_types',
  nonConforming: 'arangops_schema_nonconforming_documents_ratio',
} as const;

const KINDS: readonly DriftKind[] = [
  'database',
  'collection',
  'index',
  'view',
  'analyzer',
  'graph',
  'user',
  'grant',
];

export interface SchemaMetrics {
  driftItems: Gauge<'class' | 'kind'>;
  checkSuccess: Gauge;
  checkDuration: Gauge;
  lastSuccess: Gauge;
  legacyIndexTypes: Gauge<'type'>;
  nonConforming: Gauge<'collection'>;
}

export function registerSchemaMetrics(registry: Registry): SchemaMetrics {
  const registers = [registry];
  return {
    driftItems: new Gauge({
      name: SCHEMA_METRICS.driftItems,
      help: 'Schema drift items found by the last check, by change class and object kind.',
      labelNames: ['class', 'kind'],
      registers,
    }),
    checkSuccess: new Gauge({
      name: SCHEMA_METRICS.checkSuccess,
      help: 'Whether the last schema check ran to completion (1) or failed with an error (0); drift is not an error.',
      registers,
    }),
    checkDuration: new Gauge({
      name: SCHEMA_METRICS.checkDuration,
      help: 'Duration of the last schema check.',
      registers,
    }),
    lastSuccess: new Gauge({
      name: SCHEMA_METRICS.lastSuccess,
      help: 'Unix time the schema check last ran to completion.',
      registers,
    }),
    legacyIndexTypes: new Gauge({
      name: SCHEMA_METRICS.legacyIndexTypes,
      help: 'Live indexes still using a legacy type alias (hash, skiplist, zkd, geo1, geo2), removed in ArangoDB 4.0.',
      labelNames: ['type'],
      registers,
    }),
    nonConforming: new Gauge({
      name: SCHEMA_METRICS.nonConforming,
      help: 'Share of sampled documents of a collection that do not satisfy its declared validation rule.',
      labelNames: ['collection'],
      registers,
    }),
  };
}

/** Records a finished check; with an error instead of a report only success (0) is set. */
export function recordDriftMetrics(
  metrics: SchemaMetrics,
  outcome: DriftReport | Error,
  now: Date = new Date(),
): void {
  if (outcome instanceof Error) {
    metrics.checkSuccess.set(0);
    return;
  }
  metrics.checkSuccess.set(1);
  metrics.checkDuration.set(outcome.durationSeconds);
  metrics.lastSuccess.set(Math.floor(now.getTime() / 1000));
  // Every class/kind pair gets a sample, so "drift went back to zero" is visible.
  for (const cls of DRIFT_CLASSES) {
    for (const kind of KINDS) {
      metrics.driftItems.set(
        { class: cls, kind },
        outcome.items.filter((i) => i.class === cls && i.kind === kind).length,
      );
    }
  }
  metrics.legacyIndexTypes.reset();
  for (const d of outcome.deprecations) metrics.legacyIndexTypes.inc({ type: d.type });
  metrics.nonConforming.reset();
  for (const s of outcome.samples) {
    metrics.nonConforming.set(
      { collection: `${s.database}/${s.collection}` },
      s.sampled === 0 ? 0 : s.nonConforming / s.sampled,
    );
  }
}
