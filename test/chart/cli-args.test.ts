/**
 * The chart runs the CLI as the CLI says it can be run: every container of every rendering
 * (default values and each ci/*-values.yaml) is checked against `arangops --help` (the
 * command exists, every flag is one of its options), its port against the configuration,
 * and its configuration file plus arguments with `arangops config check`, which rejects an
 * unknown setting. Expectations come from the CLI itself, never from a list kept here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { commandsOf, optionsOf } from '../harness/cli-help.js';
import { tempDir } from '../harness/temp-dir.js';
import { makeTestCertificates } from '../harness/tls.js';
import { findTool, REPO_ROOT, requireTool } from '../harness/tools.js';
import {
  type Container,
  containersOf,
  type K8sObject,
  type PodSpec,
  parseManifests,
  renderChart,
  VALUES_FILES,
  valuesName,
} from './chart.js';

const helmPath = findTool('helm');
const renderings: { values: string; objects: K8sObject[] }[] = helmPath
  ? VALUES_FILES.map((file) => ({
      values: valuesName(file),
      objects: parseManifests(renderChart(helmPath, file)),
    }))
  : [];
const containers = renderings.flatMap(({ values, objects }) =>
  containersOf(objects).map((c) => ({ ...c, values, objects })),
);

let caPem: string | undefined;

/** A stand-in for a Secret key: a real PEM certificate where the CLI checks for one. */
function secretStandIn(file: string): string {
  if (!/\.(crt|pem)$/.test(file)) return 'stand-in for a Secret key\n';
  // Read at once: the certificates' folder goes with the test that made it.
  caPem ??= readFileSync(makeTestCertificates().caFile, 'utf8');
  return caPem;
}

/**
 * The pod's mounts laid out under a temporary root: the chart's ConfigMaps as rendered, a
 * user's own profile ConfigMap as the shipped profile, and a stand-in file for each Secret
 * key. Returns the configuration file with its mount paths moved under that root.
 */
function materialise(
  objects: readonly K8sObject[],
  pod: PodSpec,
  container: Container,
): { configFile: string; env: NodeJS.ProcessEnv } {
  const root = tempDir('chart-pod');
  const shippedProfile = join(REPO_ROOT, 'packages', 'schema', 'profiles', 'codevaldcortex');
  let configFile = '';
  const moves: [string, string][] = [];
  for (const mount of container.volumeMounts ?? []) {
    const dir = join(root, mount.mountPath);
    mkdirSync(dir, { recursive: true });
    moves.push([mount.mountPath, dir]);
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (volume?.configMap) {
      const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap?.name);
      const data = map?.data ?? {
        'schema.yaml': readFileSync(join(shippedProfile, 'schema.yaml'), 'utf8'),
        'metrics.yaml': readFileSync(join(shippedProfile, 'metrics.yaml'), 'utf8'),
      };
      for (const [file, text] of Object.entries(data)) writeFileSync(join(dir, file), text);
      if (data['config.yaml'] !== undefined) configFile = join(dir, 'config.yaml');
    }
    for (const item of volume?.secret?.items ?? [])
      writeFileSync(join(dir, item.path), secretStandIn(item.path));
  }
  const relocate = (text: string) => moves.reduce((t, [from, to]) => t.replaceAll(from, to), text);
  writeFileSync(configFile, relocate(readFileSync(configFile, 'utf8')));
  // Variables naming a mounted file (ARANGOPS_KEY_FILE) point into the same root.
  const env = Object.fromEntries(Object.entries(envOf(container)).map(([k, v]) => [k, relocate(v ?? '')]));
  return { configFile, env };
}

/** The container's environment, with a stand-in for each value that comes from a Secret. */
function envOf(container: Container): NodeJS.ProcessEnv {
  return Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? 'from-a-secret']));
}

/** What is wrong with how a container runs the CLI; empty when nothing is. */
async function problemsOf(objects: readonly K8sObject[], pod: PodSpec, container: Container, owner: string) {
  const args = container.args ?? [];
  const where = `${owner} (${container.name}): arangops ${args.join(' ')}`;
  const problems: string[] = [];
  if (JSON.stringify(container.command) !== '["arangops"]')
    problems.push(`${where}: command is not arangops`);
  const commands = commandsOf((await runCli(['--help'])).stdout);
  const [command, ...rest] = args;
  if (!command || !commands.has(command)) {
    return [
      ...problems,
      `${where}: \`arangops --help\` lists no command "${command}" (commands: ${[...commands].join(', ')})`,
    ];
  }
  const options = optionsOf((await runCli([command, '--help'])).stdout);
  for (const flag of rest.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string)) {
    if (!options.has(flag)) problems.push(`${where}: \`arangops ${command} --help\` has no option ${flag}`);
  }
  // The configuration file the pod mounts, with the container's own --set arguments.
  const { configFile, env } = materialise(objects, pod, container);
  const sets = rest.filter((a) => a.startsWith('--set='));
  const check = await runCli(['config', 'check', '--config', configFile, ...sets], env);
  if (check.code !== 0) {
    return [
      ...problems,
      `${where}: \`arangops config check\` rejects its configuration: ${check.stderr.trim()}`,
    ];
  }
  // The exporter listens on exporter.port, the jobs process on jobs.port.
  const port = container.ports?.find((p) => p.name === 'metrics')?.containerPort;
  if (port !== undefined) {
    const shown = await runCli(['config', 'show', '--json', '--config', configFile, ...sets], env);
    const listens = (JSON.parse(shown.stdout) as Record<string, { port?: number }>)[command]?.port;
    if (listens !== port)
      problems.push(`${where}: the container port is ${port} but the process listens on ${listens}`);
  }
  return problems;
}

describe('the chart runs the CLI as `arangops --help` documents it', () => {
  it('renders containers to check', () => {
    if (!requireTool('helm', 'chart rendering')) return;
    expect(containers.length).toBeGreaterThanOrEqual(VALUES_FILES.length * 2);
  });

  for (const file of VALUES_FILES) {
    const values = valuesName(file);
    it(`every container with ${values}: command, flags, port and configuration`, async () => {
      const problems: string[] = [];
      for (const { owner, container, pod, objects } of containers.filter((c) => c.values === values)) {
        problems.push(...(await problemsOf(objects, pod, container, owner)));
      }
      expect(problems).toEqual([]);
    });
  }

  it('reports an unknown command, an unknown flag, a wrong port and an unknown setting', async () => {
    const exporter = containers.find((c) => c.container.name === 'exporter' && c.values === 'default values');
    if (!exporter) return;
    const variant = async (change: Partial<Container>) =>
      (
        await problemsOf(exporter.objects, exporter.pod, { ...exporter.container, ...change }, 'variant')
      ).join('\n');
    expect(await variant({ args: ['exporterz'] })).toContain('lists no command "exporterz"');
    expect(await variant({ args: ['exporter', '--oncee'] })).toContain('has no option --oncee');
    expect(await variant({ ports: [{ name: 'metrics', containerPort: 9999 }] })).toContain(
      'the container port is 9999 but the process listens on 9101',
    );
    expect(await variant({ args: ['exporter', '--set=nosuch.setting=1'] })).toContain(
      'rejects its configuration',
    );
  });
});
