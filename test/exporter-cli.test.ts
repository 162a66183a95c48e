/**
 * `arangops exporter` as an operator runs it: the process metrics on the page, a loud warning
 * when it connects with more rights than it needs, a profile query that would write refused
 * before anything runs, and agent URLs with credentials refused like arango.url.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@arangops/arangodb-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './harness/cli.js';
import { tempDir } from './harness/temp-dir.js';

const run = runCli;

describe('arangops exporter (simulator)', () => {
  let sim: Simulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulator({
      auth: { users: { root: 'root-pw' } },
      seed: { agents: 20, executions: 20, communications: 20 },
    });
    env = {
      ARANGO_URL: sim.url,
      ARANGO_PASSWORD: 'root-pw',
      ARANGOPS_ARANGO_DATABASE: 'codevaldcortex',
      ARANGOPS_RUN_RECORDS_DIR: tempDir('exporter-cli-runs'),
    };
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('--once serves the process and Node.js metrics, and warns that root is more than it needs', async () => {
    const { code, stdout, stderr } = await run(['--log-level', 'warn', 'exporter', '--once'], env);
    expect(code).toBe(0);
    for (const name of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(stderr).toContain('the exporter connects as root');
  });

  it('warns when its user may write the database it reads', async () => {
    const auth = { authorization: `Basic ${Buffer.from('root:root-pw').toString('base64')}` };
    const admin = (method: string, path: string, body: unknown) =>
      fetch(`${sim.url}${path}`, { method, headers: auth, body: JSON.stringify(body) });
    expect((await admin('POST', '/_api/user', { user: 'writer', passwd: 'writer-pw' })).status).toBe(201);
    await admin('PUT', '/_api/user/writer/database/_system', { grant: 'ro' });
    await admin('PUT', '/_api/user/writer/database/codevaldcortex', { grant: 'rw' });
    const writer = { ...env, ARANGO_USERNAME: 'writer', ARANGO_PASSWORD: 'writer-pw' };
    const { code, stderr } = await run(['--log-level', 'warn', 'exporter', '--once'], writer);
    expect(code).toBe(0);
    expect(stderr).toContain("the exporter's user has rw access to the database it reads");
    await admin('PUT', '/_api/user/writer/database/codevaldcortex', { grant: 'ro' });
    expect((await run(['--log-level', 'warn', 'exporter', '--once'], writer)).stderr).not.toContain(
      'rw access',
    );
  });

  it('refuses a profile metric whose plan writes, with the file named, and changes nothing', async () => {
    const file = join(tempDir('exporter-cli'), 'metrics.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'metrics:',
        '  - name: sneaky_agents',
        '    help: Counts agents, and renames them.',
        '    query: |',
        '      FOR a IN agents',
        '        UPDATE a WITH { name: "pwned" } IN agents',
        '        COLLECT WITH COUNT INTO value',
        '        RETURN { value }',
        '',
      ].join('\n'),
    );
    sim.state.clearRequestLog();
    const { code, stdout, stderr } = await run(['exporter', '--once'], {
      ...env,
      ARANGOPS_EXPORTER_COLLECTORS_AQL_METRICS_FILE: file,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(stderr).toContain('sneaky_agents would write (UpdateNode)');
    expect(sim.state.requestLog.filter((e) => e.path === '/_api/explain')).not.toEqual([]);
    expect(sim.state.requestLog.filter((e) => e.method === 'POST' && e.path === '/_api/cursor')).toEqual([]);
  });

  it('refuses agent URLs with credentials without echoing them', async () => {
    const file = join(tempDir('exporter-cli'), 'arangops.yaml');
    writeFileSync(
      file,
      'exporter:\n  collectors:\n    serverMetrics:\n      enabled: true\n      agentEndpoints: ["http://agentuser:agent-secret-pw@agent-0:8531"]\n',
    );
    const { code, stderr } = await run(['--config', file, 'config', 'check'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('exporter.collectors.serverMetrics.agentEndpoints.0');
    expect(stderr).toContain('must not contain credentials');
    expect(stderr).not.toContain('agent-secret-pw');
  });
});
