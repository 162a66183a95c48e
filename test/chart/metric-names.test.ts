/**
 * Every PromQL expression of the alert rules and the dashboards parses with Prometheus's
 * grammar, selects only metrics that exist, and reads counters only through
 * rate/irate/increase. A renamed metric breaks the build, not the dashboard.
 */
import { describe, expect, it } from 'vitest';
import { allExpressions } from './expressions.js';
import { knownMetrics } from './metric-catalogue.js';
import { parsePromQL, substituteGrafanaVariables } from './promql.js';

const expressions = allExpressions().map((e) => ({
  ...e,
  parsed: parsePromQL(substituteGrafanaVariables(e.expr)),
}));

describe('PromQL of the rules and dashboards', () => {
  it('finds the expressions (rules, panels, variables)', () => {
    expect(expressions.filter((e) => e.where.includes('.rules.yaml')).length).toBeGreaterThanOrEqual(21);
    expect(
      expressions.filter((e) => e.where.endsWith('.json"') || e.where.includes('.json ')).length,
    ).toBeGreaterThan(50);
  });

  it('every expression parses', () => {
    const broken = expressions
      .filter((e) => e.parsed.errors.length)
      .map((e) => `${e.where}: ${e.parsed.errors[0]}`);
    expect(broken).toEqual([]);
  });

  it('every metric name exists on a page we know', () => {
    const known = knownMetrics();
    const unknown = expressions.flatMap((e) =>
      e.parsed.selections.filter((s) => !known.has(s.metric)).map((s) => `${e.where}: ${s.metric}`),
    );
    expect(unknown).toEqual([]);
  });

  it('reads counters only through rate, irate or increase', () => {
    const known = knownMetrics();
    const raw = expressions.flatMap((e) =>
      e.parsed.selections
        .filter((s) => known.get(s.metric)?.type === 'counter')
        .filter((s) => !['rate', 'irate', 'increase'].includes(s.rangeFunction ?? ''))
        .map((s) => `${e.where}: ${s.metric}`),
    );
    expect(raw).toEqual([]);
  });

  it('proves the checks can fail', () => {
    expect(parsePromQL('sum(rate(foo_total[5m])').errors).not.toEqual([]);
    expect(knownMetrics().has('arangodb_no_such_metric')).toBe(false);
    expect(parsePromQL('foo_total + rate(bar_total{a="b"}[5m])').selections).toEqual([
      { metric: 'foo_total', rangeFunction: undefined, matchers: '' },
      { metric: 'bar_total', rangeFunction: 'rate', matchers: '{a="b"}' },
    ]);
  });
});
