/**
 * The chart, rendered and checked with the real tools: helm lint --strict and helm template
 * for the default values and every ci/*-values.yaml, kubeconform -strict offline against the
 * project's own Kubernetes 1.31 and CRD schemas, and the helm-unittest suites.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { REPO_ROOT, requireTool } from '../harness/tools.js';
import {
  CHART,
  helm,
  K8S_SCHEMAS,
  KUBE_VERSION,
  parseManifests,
  renderChart,
  VALUES_FILES,
  valuesName,
} from './chart.js';

const KUBECONFORM_ARGS = [
  '-strict',
  '-summary',
  '-kubernetes-version',
  KUBE_VERSION,
  '-schema-location',
  `${K8S_SCHEMAS}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
  '-schema-location',
  `${K8S_SCHEMAS}/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
  '-',
];

describe('helm lint --strict and helm template', () => {
  for (const file of VALUES_FILES) {
    it(`pass with ${valuesName(file)}`, () => {
      const helmPath = requireTool('helm', 'chart rendering');
      if (!helmPath) return;
      const lint = helm(helmPath, [
        'lint',
        '--strict',
        CHART,
        '--kube-version',
        KUBE_VERSION,
        ...(file ? ['-f', file] : []),
      ]);
      expect(lint).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(lint).not.toMatch(/\[(WARNING|ERROR)\]/);
      const kinds = parseManifests(renderChart(helmPath, file)).map((o) => o.kind);
      expect(kinds).toEqual(
        expect.arrayContaining(['Deployment', 'ConfigMap', 'NetworkPolicy', 'ServiceMonitor']),
      );
    });
  }

  it('renders the kube-arangodb resources with ci/kube-arangodb-values.yaml and CronJobs with ci/cronjobs-values.yaml', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    if (!helmPath) return;
    const kinds = (name: string) =>
      parseManifests(renderChart(helmPath, join(CHART, 'ci', name))).map((o) => o.kind);
    expect(kinds('kube-arangodb-values.yaml')).toEqual(
      expect.arrayContaining(['ArangoDeployment', 'ArangoBackupPolicy']),
    );
    expect(kinds('cronjobs-values.yaml').filter((k) => k === 'CronJob')).toHaveLength(4);
  });

  it('rejects values the schema does not allow, naming the field', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    if (!helmPath) return;
    const bad = (set: string) =>
      spawnSync(helmPath, ['template', 'rel', CHART, '--set', set], { encoding: 'utf8' });
    for (const [set, field] of [
      ['jobs.mode=sometimes', '/jobs/mode'],
      ['arango.auth.password=hunter2', '/arango/auth'],
      ['exporter.port=0', '/exporter/port'],
      ['jobs.schedules.backup.schedule=daily', '/jobs/schedules/backup/schedule'],
      ['serviceMonitor.enabled=maybe', '/serviceMonitor/enabled'],
    ] as const) {
      const run = bad(set);
      expect(run.status, set).not.toBe(0);
      expect(run.stderr, set).toContain(field);
    }
  });
});

describe('kubeconform -strict, offline, with the project schemas', () => {
  for (const file of VALUES_FILES) {
    it(`validates every manifest rendered with ${valuesName(file)}`, () => {
      const helmPath = requireTool('helm', 'chart rendering');
      const kubeconform = requireTool('kubeconform', 'manifest validation');
      if (!helmPath || !kubeconform) return;
      const rendered = renderChart(helmPath, file);
      const out = execFileSync(kubeconform, KUBECONFORM_ARGS, { input: rendered, encoding: 'utf8' });
      expect(out).toMatch(/Invalid: 0, Errors: 0, Skipped: 0/);
      expect(out).toMatch(new RegExp(`${parseManifests(rendered).length} resources found`));
    });
  }

  it('rejects a misspelt field in a rendered ArangoDeployment (the CRD schema is strict below spec)', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    const kubeconform = requireTool('kubeconform', 'manifest validation');
    if (!helmPath || !kubeconform) return;
    const rendered = renderChart(helmPath, join(CHART, 'ci', 'kube-arangodb-values.yaml'));
    const broken = rendered.replace('  metrics:\n    enabled: true', '  monitoring:\n    enabled: true');
    expect(broken).not.toBe(rendered);
    const run = spawnSync(kubeconform, KUBECONFORM_ARGS, { input: broken, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('ArangoDeployment');
  });
});

describe('helm-unittest', () => {
  it('passes every suite in charts/arangops/tests', () => {
    const unittest = requireTool('helm-unittest', 'chart unit tests');
    if (!unittest) return;
    const suites = readdirSync(join(CHART, 'tests')).filter((f) => f.endsWith('_test.yaml'));
    const out = execFileSync(unittest, ['--strict', CHART], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(new RegExp(`Test Suites:\\s+${suites.length} passed, ${suites.length} total`));
  });
});

describe('helm package', () => {
  it('stores the profile files themselves (the link is resolved) and renders the same as the folder', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    if (!helmPath) return;
    const dir = tempDir('chart-package');
    helm(helmPath, ['package', CHART, '--destination', dir]);
    const archive = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? '');
    const template = (chart: string) =>
      helm(helmPath, ['template', 'rel', chart, '--kube-version', KUBE_VERSION]).replaceAll(chart, '');
    expect(template(archive)).toBe(template(CHART));
  });
});

describe('the profile ConfigMap', () => {
  it('carries the files of packages/schema/profiles/<name> byte for byte (one source)', () => {
    const helmPath = requireTool('helm', 'chart rendering');
    if (!helmPath) return;
    const profile = parseManifests(renderChart(helmPath)).find(
      (o) => o.metadata.name === 'rel-arangops-profile',
    );
    const folder = join(REPO_ROOT, 'packages', 'schema', 'profiles', 'codevaldcortex');
    const yamlFiles = readdirSync(folder).filter((f) => f.endsWith('.yaml'));
    expect(Object.keys(profile?.data ?? {}).sort()).toEqual(yamlFiles.sort());
    for (const f of yamlFiles) expect(profile?.data?.[f], f).toBe(readFileSync(join(folder, f), 'utf8'));
  });
});
