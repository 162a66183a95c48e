/**
 * Schema drift: what the hourly drift check found, by change class and object kind, next to
 * the indexes the profile declares and the legacy index types ArangoDB 4.0 removes.
 */
import { type DashboardDefinition, dashboard, row, sel, stat, timeseries } from './kit.js';

export const schemaDrift: DashboardDefinition = {
  file: 'schema-drift',
  build: () =>
    dashboard(
      'arangops / Schema drift',
      'arangops-schema-drift',
      'Differences between the live ArangoDB schema and the declared profile.',
      'arangops_last_run_timestamp_seconds',
    )
      .withRow(row('Now'))
      .withPanel(
        stat({
          title: 'Breaking drift',
          description:
            'Drift items of class recreate or destructive: bootstrap does not apply them on its own.',
          unit: 'none',
          queries: [
            [
              `sum(${sel('arangops_schema_drift_items', 'class=~"recreate|destructive"')}) or vector(0)`,
              'items',
            ],
          ],
        }),
      )
      .withPanel(
        stat({
          title: 'Last check',
          description: 'Whether the last drift check ran to completion (drift found is not an error).',
          unit: 'none',
          passFail: true,
          queries: [[`min(${sel('arangops_schema_check_success')})`, 'check']],
        }),
      )
      .withPanel(
        stat({
          title: 'Last completed check',
          description: 'Time since the drift check last ran to completion; it runs hourly.',
          unit: 's',
          queries: [[`time() - max(${sel('arangops_schema_check_last_success_timestamp_seconds')})`, 'age']],
        }),
      )
      .withPanel(
        stat({
          title: 'Missing indexes',
          description: 'Indexes the profile declares that do not exist: lookups on them become full scans.',
          unit: 'none',
          span: 12,
          queries: [[`count(${sel('arangops_index_present')} == 0) or vector(0)`, 'missing']],
        }),
      )
      .withRow(row('Drift'))
      .withPanel(
        timeseries({
          title: 'Drift items by class',
          description: 'Drift items found by the last check: additive, mutable, recreate, destructive.',
          unit: 'none',
          queries: [[`sum by (class) (${sel('arangops_schema_drift_items')})`, '{{class}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Drift items by kind',
          description:
            'Drift items found by the last check, by object kind (collection, index, view, analyzer, graph, user, grant).',
          unit: 'none',
          queries: [[`sum by (kind) (${sel('arangops_schema_drift_items')})`, '{{kind}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Drift from run records',
          description:
            'Drift items by class from the drift run records (CronJob mode), served by the exporter.',
          unit: 'none',
          queries: [
            [
              `max by (figure) (${sel('arangops_last_run_figures', 'task="drift"', 'figure=~"additive|mutable|recreate|destructive"')})`,
              '{{figure}}',
            ],
          ],
        }),
      )
      .withRow(row('Health of the schema'))
      .withPanel(
        timeseries({
          title: 'Check duration',
          description: 'How long the last drift check took.',
          unit: 's',
          queries: [[`max(${sel('arangops_schema_check_duration_seconds')})`, 'duration']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Legacy index types',
          description:
            'Live indexes still using a type alias ArangoDB 4.0 removes (hash, skiplist, geo1, geo2, zkd).',
          unit: 'none',
          queries: [[`sum by (type) (${sel('arangops_schema_legacy_index_types')})`, '{{type}}']],
        }),
      )
      .withPanel(
        timeseries({
          title: 'Non-conforming documents',
          description: 'Share of sampled documents that fail their collection validation rule.',
          unit: 'percentunit',
          min: 0,
          queries: [
            [
              `max by (collection) (${sel('arangops_schema_nonconforming_documents_ratio')})`,
              '{{collection}}',
            ],
          ],
        }),
      ),
};
