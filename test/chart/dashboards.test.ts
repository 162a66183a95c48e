/**
 * The dashboards: the JSON in the chart is exactly what dashboards/ generates, and the
 * grafana/dashboard-linter rules hold (datasource variable, job and instance variables and
 * matchers, units, descriptions, $__rate_interval, stable uids, no __inputs). Counters inside
 * rate/increase and existing metric names are checked with the rules in metric-names.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, renderDashboard } from '../../dashboards/src/index.js';
import { DASHBOARDS_DIR, dashboards } from './expressions.js';
import { parsePromQL, substituteGrafanaVariables } from './promql.js';

/** The uids are URLs people bookmark: changing one is a decision, made here. */
const UIDS: Record<string, string> = {
  'backups.json': 'arangops-backups',
  'cluster-overview.json': 'arangops-cluster-overview',
  'codevaldcortex.json': 'arangops-codevaldcortex',
  'schema-drift.json': 'arangops-schema-drift',
};
const UNITS = new Set(['s', 'bytes', 'percentunit', 'ops', 'none']);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, resolved by Grafana.
const DATASOURCE_UID = '${datasource}';

describe('generated dashboards', () => {
  it('the chart holds exactly what `npm run dashboards` generates', () => {
    const stale = DASHBOARDS.filter(
      (d) => readFileSync(join(DASHBOARDS_DIR, `${d.file}.json`), 'utf8') !== renderDashboard(d),
    ).map((d) => d.file);
    expect(stale, 'run npm run dashboards').toEqual([]);
    expect(dashboards().map((d) => d.file)).toEqual(DASHBOARDS.map((d) => `${d.file}.json`).sort());
  });
});

describe.each(dashboards())('$file', ({ file, dashboard }) => {
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  const variables = dashboard.templating.list;

  it('has its fixed uid, no id, no __inputs, and is read-only', () => {
    expect(dashboard.uid).toBe(UIDS[file]);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect(dashboard.id).toBeUndefined();
    expect(dashboard.__inputs).toBeUndefined();
    expect(dashboard.editable).toBe(false);
  });

  it('has one datasource variable named datasource, first', () => {
    const datasources = variables.filter((v) => v.type === 'datasource');
    expect(datasources).toHaveLength(1);
    expect(variables[0]).toMatchObject({ name: 'datasource', label: 'Data source', query: 'prometheus' });
  });

  it('has multi-value job and instance variables on the datasource variable', () => {
    for (const name of ['job', 'instance']) {
      expect(variables.find((v) => v.name === name)).toMatchObject({
        type: 'query',
        label: name,
        multi: true,
        allValue: '.+',
        datasource: { uid: DATASOURCE_UID },
      });
    }
  });

  it('gives every panel a title, a description, a unit, the datasource variable and queries', () => {
    expect(panels.length).toBeGreaterThan(5);
    for (const p of panels) {
      expect(p.title, JSON.stringify(p)).toBeTruthy();
      expect(p.description, p.title).toBeTruthy();
      expect(UNITS, p.title).toContain(p.fieldConfig?.defaults?.unit);
      expect(p.datasource?.uid, p.title).toBe(DATASOURCE_UID);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe(DATASOURCE_UID);
    }
  });

  it('filters every series by job and instance, and every range by $__rate_interval', () => {
    for (const p of panels) {
      for (const { expr } of p.targets ?? []) {
        for (const range of expr.matchAll(/\[([^\]]+)\]/g))
          expect(range[1], p.title).toBe('$__rate_interval');
        for (const s of parsePromQL(substituteGrafanaVariables(expr)).selections) {
          expect(s.matchers, `${p.title}: ${s.metric}`).toContain('job=~"$job"');
          expect(s.matchers, `${p.title}: ${s.metric}`).toContain('instance=~"$instance"');
        }
      }
    }
  });

  it('stays far below the 1 MiB ConfigMap limit', () => {
    expect(readFileSync(join(DASHBOARDS_DIR, file)).length).toBeLessThan(256 * 1024);
  });
});
