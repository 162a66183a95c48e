/**
 * Renders the chart with the real helm, the way the chart tests need it: default values or a
 * ci/*-values.yaml file, Kubernetes 1.31 (the vendored schemas' version), and the
 * Prometheus-operator APIs announced so `enabled: auto` renders the ServiceMonitor and
 * PrometheusRule.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../harness/tools.js';

export const CHART = join(REPO_ROOT, 'charts', 'arangops');
export const KUBE_VERSION = '1.31.0';
export const K8S_SCHEMAS = join(REPO_ROOT, 'test', 'data', 'k8s-schemas');

/** `undefined` stands for the chart's default values; the others are the ci/ files. */
export const VALUES_FILES: readonly (string | undefined)[] = [
  undefined,
  ...readdirSync(join(CHART, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .sort()
    .map((f) => join(CHART, 'ci', f)),
];

export const valuesName = (file: string | undefined) =>
  file ? `ci/${file.split('/').at(-1)}` : 'default values';

const MONITORING_APIS = [
  '--api-versions',
  'monitoring.coreos.com/v1/ServiceMonitor',
  '--api-versions',
  'monitoring.coreos.com/v1/PrometheusRule',
];

/** Runs helm; stderr is kept out of the output (helm notes the profile folder's symbolic link there). */
export function helm(helmPath: string, args: readonly string[]): string {
  return execFileSync(helmPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
}

export function renderChart(helmPath: string, valuesFile?: string, extra: readonly string[] = []): string {
  return helm(helmPath, [
    'template',
    'rel',
    CHART,
    '--namespace',
    'codevald-data',
    '--kube-version',
    KUBE_VERSION,
    ...MONITORING_APIS,
    ...(valuesFile ? ['-f', valuesFile] : []),
    ...extra,
  ]);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export function parseManifests(rendered: string): K8sObject[] {
  return parseAllDocuments(rendered)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  emptyDir?: unknown;
}

export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
}

/** Every container of every workload, with the workload it belongs to and its pod. */
export function containersOf(
  objects: readonly K8sObject[],
): { owner: string; container: Container; pod: PodSpec }[] {
  return objects.flatMap((o) => {
    const spec = o.spec as
      | { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } }
      | undefined;
    const pod = spec?.template?.spec ?? spec?.jobTemplate?.spec.template.spec;
    const owner = `${o.kind}/${o.metadata.name}`;
    return pod ? pod.containers.map((container) => ({ owner, container, pod })) : [];
  });
}
