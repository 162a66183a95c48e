/**
 * The few building blocks every arangops dashboard shares: the datasource and the
 * namespace/job/instance variables (as grafana/dashboard-linter expects them), a selector
 * helper that puts those matchers on every series, and panel factories that always carry
 * a description and a unit.
 */
import { ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana.
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** What a dashboard module exports: the file name in charts/arangops/files/dashboards/ and the builder. */
export interface DashboardDefinition {
  readonly file: string;
  readonly build: () => DashboardBuilder;
}

/**
 * A series selector with the dashboard's namespace, job and instance matchers, plus `extra`
 * matchers written as PromQL (e.g. `status="GOOD"`).
 */
export function sel(metric: string, ...extra: string[]): string {
  return `${metric}{${['namespace=~"$namespace"', 'job=~"$job"', 'instance=~"$instance"', ...extra].join(', ')}}`;
}

function labelVariable(name: string, label: string, metric: string, allValue: string): QueryVariableBuilder {
  const scope =
    name === 'namespace'
      ? ''
      : name === 'job'
        ? '{namespace=~"$namespace"}'
        : '{namespace=~"$namespace", job=~"$job"}';
  const query = `label_values(${metric}${scope}, ${name})`;
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ query, refId: `${name}-variable` })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(allValue);
}

/**
 * A dashboard with the arangops conventions: fixed uid, read-only, the `datasource` variable
 * first, then namespace (`.*`, absent outside Kubernetes), job and instance, whose values come
 * from `anchorMetric`.
 */
export function dashboard(
  title: string,
  uid: string,
  description: string,
  anchorMetric: string,
): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['arangops', 'arangodb'])
    .readonly()
    .refresh('1m')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(labelVariable('namespace', 'namespace', anchorMetric, '.*'))
    .withVariable(labelVariable('job', 'job', anchorMetric, '.+'))
    .withVariable(labelVariable('instance', 'instance', anchorMetric, '.+'));
}

export const row = (title: string): RowBuilder => new RowBuilder(title);

/** One PromQL target per [expr, legend] pair. */
function targets(queries: readonly (readonly [string, string])[]): DataqueryBuilder[] {
  return queries.map(([expr, legend], i) =>
    new DataqueryBuilder()
      .datasource(DATASOURCE)
      .expr(expr)
      .legendFormat(legend)
      .refId(String.fromCharCode(65 + i)),
  );
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** A Grafana unit id: s, bytes, percentunit, ops, none, ... */
  readonly unit: string;
  readonly queries: readonly (readonly [string, string])[];
  readonly span?: number;
  readonly min?: number;
  readonly max?: number;
  /** Show 1 as PASS (green) and 0 as FAIL (red). */
  readonly passFail?: boolean;
}

const PASS_FAIL = {
  type: MappingType.ValueToText,
  options: {
    '0': { text: 'FAIL', color: 'red', index: 0 },
    '1': { text: 'PASS', color: 'green', index: 1 },
  },
} as const;

/** The fields both panel builders share, set the same way on each. */
function common<P extends TimeseriesBuilder | StatBuilder>(
  panel: P,
  spec: PanelSpec,
  span: number,
  height: number,
): P {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .targets(targets(spec.queries))
    .span(spec.span ?? span)
    .height(height);
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.passFail) panel.mappings([PASS_FAIL]);
  return panel;
}

export const timeseries = (spec: PanelSpec): TimeseriesBuilder =>
  common(new TimeseriesBuilder().fillOpacity(10), spec, 8, 8);

export const stat = (spec: PanelSpec): StatBuilder =>
  common(new StatBuilder().reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull'])), spec, 4, 4);
