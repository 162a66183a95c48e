/** Every PromQL expression the chart ships: alert rules and dashboard queries, with where each comes from. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CHART } from './chart.js';

export const RULES_DIR = join(CHART, 'files', 'rules');
export const DASHBOARDS_DIR = join(CHART, 'files', 'dashboards');

export interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleFile {
  readonly file: string;
  readonly groups: { name: string; rules: Rule[] }[];
}

export function ruleFiles(): RuleFile[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.rules.yaml'))
    .sort()
    .map((file) => ({
      file,
      ...(parseYaml(readFileSync(join(RULES_DIR, file), 'utf8')) as Omit<RuleFile, 'file'>),
    }));
}

export const allRules = (): Rule[] => ruleFiles().flatMap((f) => f.groups.flatMap((g) => g.rules));

/** A dashboard as the chart ships it (the subset the tests read). */
export interface Dashboard {
  uid: string;
  title: string;
  editable?: boolean;
  id?: unknown;
  __inputs?: unknown;
  templating: {
    list: {
      name: string;
      type: string;
      label?: string;
      query?: unknown;
      datasource?: { uid: string };
      multi?: boolean;
      allValue?: string;
    }[];
  };
  panels: Panel[];
}

export interface Panel {
  type: string;
  title?: string;
  description?: string;
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

export function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard,
    }));
}

export interface Expression {
  readonly where: string;
  readonly expr: string;
}

/** Rule expressions, dashboard panel queries and the label_values() queries of dashboard variables. */
export function allExpressions(): Expression[] {
  const rules = ruleFiles().flatMap((f) =>
    f.groups.flatMap((g) => g.rules.map((r) => ({ where: `${f.file} ${r.alert}`, expr: r.expr }))),
  );
  const panels = dashboards().flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: t.expr })),
    ),
  );
  const variables = dashboards().flatMap(({ file, dashboard }) =>
    dashboard.templating.list.flatMap((v) => {
      const query = (v.query as { query?: string } | undefined)?.query;
      const selector = query?.match(/^label_values\((.+), \w+\)$/)?.[1];
      return selector ? [{ where: `${file} variable ${v.name}`, expr: selector }] : [];
    }),
  );
  return [...rules, ...panels, ...variables];
}
