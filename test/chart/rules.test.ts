/**
 * The alert rules: promtool check rules and promtool test rules (every alert fires in one
 * unit test and stays silent in another), the naming and annotation conventions, a runbook
 * section per alert, and the PrometheusRule carrying the rule files unchanged.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, requireTool } from '../harness/tools.js';
import { CHART, parseManifests, renderChart } from './chart.js';
import { allRules, RULES_DIR, ruleFiles } from './expressions.js';

const RULE_TESTS_DIR = join(CHART, 'tests', 'rules');
const RUNBOOKS = join(REPO_ROOT, 'docs', 'runbooks.md');
const RUNBOOK_URL = 'https://github.com/arangops/arangops/blob/main/docs/runbooks.md';

interface PromtoolTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const testFiles = readdirSync(RULE_TESTS_DIR)
  .filter((f) => f.endsWith('.promtool.yaml'))
  .sort()
  .map((f) => ({
    file: f,
    ...(parseYaml(readFileSync(join(RULE_TESTS_DIR, f), 'utf8')) as PromtoolTestFile),
  }));

describe('promtool', () => {
  it('check rules accepts every rule file', () => {
    const promtool = requireTool('promtool', 'rule checks');
    if (!promtool) return;
    const files = ruleFiles().map((f) => join(RULES_DIR, f.file));
    const out = execFileSync(promtool, ['check', 'rules', ...files], { encoding: 'utf8' });
    expect(out.match(/SUCCESS/g)).toHaveLength(files.length);
  });

  it('test rules passes every unit test', { timeout: 180_000 }, () => {
    const promtool = requireTool('promtool', 'rule unit tests');
    if (!promtool) return;
    const out = execFileSync(
      promtool,
      ['test', 'rules', ...testFiles.map((t) => join(RULE_TESTS_DIR, t.file))],
      {
        encoding: 'utf8',
      },
    );
    expect(out.match(/SUCCESS/g)).toHaveLength(testFiles.length);
    expect(out).not.toContain('FAILED');
  });

  it('every rule file has unit tests', () => {
    const tested = new Set(testFiles.flatMap((t) => t.rule_files.map((f) => f.split('/').at(-1))));
    expect(
      ruleFiles()
        .map((f) => f.file)
        .filter((f) => !tested.has(f)),
    ).toEqual([]);
  });

  it('every alert fires in one unit test and stays silent in another', () => {
    const checks = testFiles.flatMap((t) => t.tests.flatMap((test) => test.alert_rule_test ?? []));
    const gaps = allRules().flatMap((rule) => {
      const mine = checks.filter((c) => c.alertname === rule.alert);
      return [
        ...(mine.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${rule.alert} never fires`]),
        ...(mine.some((c) => (c.exp_alerts ?? []).length === 0)
          ? []
          : [`${rule.alert} is never shown silent`]),
      ];
    });
    expect(gaps).toEqual([]);
  });
});

describe('alert conventions', () => {
  const rules = allRules();

  it('finds every alert the issue asks for', () => {
    expect(rules.length).toBeGreaterThanOrEqual(21);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  for (const rule of rules) {
    it(`${rule.alert}: name, for, severity, summary, description, runbook`, () => {
      expect(rule.alert).toMatch(/^ArangoOps[A-Z][A-Za-z0-9]+$/);
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      const { summary, description, runbook_url: runbook } = rule.annotations ?? {};
      expect(summary).toMatch(/^[A-Z].*\.$/);
      expect(summary).not.toContain('{{');
      expect(description).toContain('{{');
      expect(runbook).toBe(`${RUNBOOK_URL}#${rule.alert.toLowerCase()}`);
    });
  }

  it('docs/runbooks.md has one section per alert, and none for alerts that do not exist', () => {
    const sections = [...readFileSync(RUNBOOKS, 'utf8').matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
    expect(sections.sort()).toEqual(rules.map((r) => r.alert).sort());
  });

  it('each runbook section says what it means, how to confirm and what to do', () => {
    const text = readFileSync(RUNBOOKS, 'utf8');
    for (const rule of rules) {
      const section = text.split(`### ${rule.alert}\n`)[1]?.split(/\n##/)[0] ?? '';
      expect(section, rule.alert).toMatch(/\*\*Meaning\.\*\*/);
      expect(section, rule.alert).toMatch(/\*\*Confirm/);
      expect(section, rule.alert).toMatch(/[Aa]ct\.\*\*/);
    }
  });
});

describe('the PrometheusRule', () => {
  it('embeds the rule files unchanged', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    if (!helmPath) return;
    const rendered = parseManifests(renderChart(helmPath, join(CHART, 'ci', 'cronjobs-values.yaml'))).find(
      (o) => o.kind === 'PrometheusRule',
    );
    expect(rendered?.spec?.groups).toEqual(ruleFiles().flatMap((f) => f.groups));
  });
});
