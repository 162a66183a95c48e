/**
 * PromQL as the chart's rules and dashboards use it, read with Prometheus's own grammar
 * (@prometheus-io/lezer-promql): parse errors, the metric names each expression selects,
 * and whether each counter sits inside rate/irate/increase.
 */
import { parser } from '@prometheus-io/lezer-promql';

export interface Selection {
  readonly metric: string;
  /** The function the range selector of this series is passed to, if any (rate, increase, ...). */
  readonly rangeFunction: string | undefined;
  /** The label matchers as written, e.g. `{job=~"$job"}` (empty without braces). */
  readonly matchers: string;
}

export interface ParsedExpr {
  readonly errors: readonly string[];
  readonly selections: readonly Selection[];
}

/** Grafana's variables, replaced by values PromQL accepts before parsing. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__range', '1d')
    .replaceAll('$__interval', '1m');
}

export function parsePromQL(expr: string): ParsedExpr {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selections: Selection[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError)
      errors.push(
        `syntax error at ${cursor.from}: ${JSON.stringify(expr.slice(cursor.from, cursor.from + 20))}`,
      );
    if (cursor.name === 'VectorSelector') {
      const node = cursor.node;
      const identifier = node.getChild('Identifier');
      if (!identifier) {
        errors.push(`selector without a metric name at ${cursor.from}`);
        continue;
      }
      let rangeFunction: string | undefined;
      if (node.parent?.name === 'MatrixSelector') {
        const call = node.parent.parent?.parent;
        if (call?.name === 'FunctionCall') {
          const fn = call.getChild('FunctionIdentifier');
          rangeFunction = fn ? expr.slice(fn.from, fn.to) : undefined;
        }
      }
      const matchers = node.getChild('LabelMatchers');
      selections.push({
        metric: expr.slice(identifier.from, identifier.to),
        rangeFunction,
        matchers: matchers ? expr.slice(matchers.from, matchers.to) : '',
      });
    }
  } while (cursor.next());
  return { errors, selections };
}
