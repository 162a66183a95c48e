/**
 * Exporter benchmark, as deployed: an `arangops exporter` process (the built CLI), the
 * simulators in another process (a seeded cluster whose coordinator proxies its 3 DB-Servers and
 * 3 coordinators, plus 3 agents scraped directly), this process scraping over HTTP.
 *
 * Three setups, three runs each, each run a fresh process:
 * - `stack`: the baseline of the memory figures, bench/stack-floor.mjs: the libraries the exporter
 *   is built on, without its code, under the exporter's runtime settings;
 * - `default`: the default collectors (cluster, collections, aql, suite) on the seeded cluster;
 * - `merged`: the merged metrics of the 9 servers only, which the ratios isolate: health, then 9
 *   bodies fetched, parsed, merged, written, against fetching the same 9 raw bodies in parallel.
 *
 * Per run it prints the exporter's resident memory (the kernel's VmRSS of its process, as a
 * container limit counts it) after start (ready, first collection done), after 100 and 1,000
 * scrapes, and `process_resident_memory_bytes` from its own page beside it; its CPU time per
 * scrape as a ratio to this process's CPU time fetching the 9 raw bodies; and p50/p99 scrape
 * latency over 200 scrapes as ratios to the raw parallel fetch, measured interleaved, beside the
 * p50 of that fetch with the two requests the exporter adds (health for the members, version for
 * `arangops_up`). Latency is to the last byte on both sides: a scraper reads bytes. The machine is
 * shared: compare ratios within a run, not milliseconds across runs.
 *
 *   npm run bench:exporter        (node flags for the exporter process: BENCH_EXPORTER_NODE_OPTIONS)
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@arangops/arangodb-sim';
import { SERVER_METRICS_PATH } from '@arangops/exporter';
import { runtimeSettingsFor } from '../packages/cli/bin/runtime-settings.js';
import { figure } from './report.js';

const RUNS = 3;
const SCRAPES = 200;
const MEMORY_SCRAPES = 1000;
const MEMORY_BASELINE_AT = 100;
const PASSWORD = 'bench-pw';
const AUTH = `Basic ${Buffer.from(`root:${PASSWORD}`).toString('base64')}`;
const CLI = fileURLToPath(new URL('../packages/cli/bin/arangops.js', import.meta.url));
const STACK = fileURLToPath(new URL('./stack-floor.mjs', import.meta.url));
const MiB = 2 ** 20;
const CLOCK_TICKS_PER_SECOND = 100;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

interface Upstream {
  cluster: string;
  /** DB-Servers and coordinators, proxied by the coordinator through ?serverId=. */
  members: string[];
  agents: string[];
}

/** Child process: the simulators, until the parent disconnects. */
async function serveSimulators(): Promise<void> {
  const auth = { users: { root: PASSWORD } };
  const cluster = await startSimulator({ mode: 'cluster', version: '3.12.10', auth, seed: true });
  const agents = await Promise.all(
    [1, 2, 3].map(() => startSimulator({ mode: 'single', version: '3.12.10', auth })),
  );
  const upstream: Upstream = {
    cluster: cluster.url,
    members: cluster.state.members.filter((m) => m.role !== 'Agent').map((m) => m.id),
    agents: agents.map((a) => a.url),
  };
  process.send?.(upstream);
  await once(process, 'disconnect');
  await Promise.all([cluster.stop(), ...agents.map((a) => a.stop())]);
}

/** The kernel's view of a process: what a container's memory limit and `ps` count. */
function procStats(pid: number): { rss: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rss: rssKiB * 1024, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}

interface Exporter {
  process: ChildProcess;
  url: string;
}

type Setup = 'stack' | 'default' | 'merged';

/** The stack-only baseline, as bin/arangops.js would start the exporter: with its runtime settings. */
function spawnStack(upstream: Upstream): ChildProcess {
  const exporter = runtimeSettingsFor(['exporter']);
  if (!exporter) throw new Error('bin/runtime-settings.js has no settings for the exporter');
  return spawn(process.execPath, [...exporter.flags, STACK, upstream.cluster, PASSWORD], {
    env: { ...process.env, ...exporter.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function spawnExporter(upstream: Upstream, setup: Setup): ChildProcess {
  const settings =
    setup === 'merged'
      ? [
          'exporter.collectors.serverMetrics.enabled=true',
          `exporter.collectors.serverMetrics.agentEndpoints=${upstream.agents.join(',')}`,
          'exporter.collectors.cluster.enabled=false',
          'exporter.collectors.collections.enabled=false',
          'exporter.collectors.aql.enabled=false',
          'exporter.collectors.suite.enabled=false',
        ]
      : [];
  return spawn(
    process.execPath,
    [
      ...(process.env.BENCH_EXPORTER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
      CLI,
      '--log-level',
      'info',
      ...settings.flatMap((s) => ['--set', s]),
      'exporter',
      '--listen',
      '127.0.0.1:0',
    ],
    {
      env: { ...process.env, ARANGO_URL: upstream.cluster, ARANGO_PASSWORD: PASSWORD, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Started, listening, and its first page served (the exporter's first collection done). */
async function startExporter(upstream: Upstream, setup: Setup): Promise<Exporter> {
  const child = setup === 'stack' ? spawnStack(upstream) : spawnExporter(upstream, setup);
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const listening = /"url":"([^"]+)","msg":"listening"/.exec(log);
      if (listening) resolve(listening[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${setup} exporter exited (${code}):\n${log}`)));
  });
  if (setup === 'stack') {
    await fetch(`${url}/metrics`).then((r) => r.arrayBuffer());
    return { process: child, url };
  }
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.status);
    if (ready === 200) return { process: child, url };
    await sleep(50);
  }
}

/** Resident memory once the exporter has been idle a moment (its GC finishes in the background). */
async function settledRss(pid: number): Promise<number> {
  await sleep(500);
  return procStats(pid).rss;
}

interface RunResult {
  startupRss: number;
  rssAt100: number;
  rssAt1000: number;
  pageRss: number;
  kernelRss: number;
  pageKiB: number;
  latency?: {
    rawP50: number;
    rawP99: number;
    /** The raw fetch with the exporter's own two requests beside it (health, version). */
    requestsP50: number;
    p50: number;
    p99: number;
    cpuRatio: number;
    cpuMs: number;
  };
}

async function run(upstream: Upstream, setup: Setup): Promise<RunResult> {
  const exporter = await startExporter(upstream, setup);
  const pid = exporter.process.pid as number;
  const scrape = () => fetch(`${exporter.url}/metrics`).then((r) => r.arrayBuffer());
  try {
    const startupRss = await settledRss(pid);
    let rssAt100 = 0;
    let page = new ArrayBuffer(0);
    for (let i = 1; i <= MEMORY_SCRAPES; i++) {
      page = await scrape();
      if (i === MEMORY_BASELINE_AT) rssAt100 = await settledRss(pid);
    }
    const rssAt1000 = await settledRss(pid);
    // The exporter's own figure, read the way Prometheus reads it, against the kernel's just after.
    const text = Buffer.from(await scrape()).toString();
    const kernelRss = procStats(pid).rss;
    const pageRss = Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1]);
    const result: RunResult = {
      startupRss,
      rssAt100,
      rssAt1000,
      pageRss,
      kernelRss,
      pageKiB: page.byteLength / 1024,
    };
    if (setup !== 'merged') return result;

    const rawUrls = [
      ...upstream.members.map(
        (id) => `${upstream.cluster}${SERVER_METRICS_PATH}?serverId=${encodeURIComponent(id)}`,
      ),
      ...upstream.agents.map((url) => `${url}${SERVER_METRICS_PATH}`),
    ];
    const fetchAll = (urls: string[]) =>
      Promise.all(
        urls.map((url) => fetch(url, { headers: { authorization: AUTH } }).then((r) => r.arrayBuffer())),
      );
    const rawBodies = () => fetchAll(rawUrls);
    const requestUrls = [
      ...rawUrls,
      `${upstream.cluster}/_db/_system/_admin/cluster/health`,
      `${upstream.cluster}/_db/_system/_api/version`,
    ];
    for (let i = 0; i < 20; i++) await rawBodies();
    const raw: number[] = [];
    const requests: number[] = [];
    const scrapes: number[] = [];
    let rawCpu = 0;
    let exporterCpu = 0;
    const measures = [
      async () => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        await rawBodies();
        raw.push(performance.now() - started);
        const spent = process.cpuUsage(cpu);
        rawCpu += (spent.user + spent.system) / 1e6;
      },
      async () => {
        const before = procStats(pid).cpuSeconds;
        const started = performance.now();
        await scrape();
        scrapes.push(performance.now() - started);
        exporterCpu += procStats(pid).cpuSeconds - before;
      },
      async () => {
        const started = performance.now();
        await fetchAll(requestUrls);
        requests.push(performance.now() - started);
      },
    ];
    // The six orders in turn: what ran just before (and what it left the simulator doing) is no
    // one's advantage.
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (let i = 0; i < SCRAPES; i++) {
      for (const m of orders[i % orders.length] as number[]) await measures[m]?.();
    }
    for (const timings of [raw, requests, scrapes]) timings.sort((a, b) => a - b);
    result.latency = {
      rawP50: percentile(raw, 50),
      rawP99: percentile(raw, 99),
      requestsP50: percentile(requests, 50),
      p50: percentile(scrapes, 50),
      p99: percentile(scrapes, 99),
      cpuRatio: exporterCpu / rawCpu,
      cpuMs: (exporterCpu / SCRAPES) * 1000,
    };
    return result;
  } finally {
    exporter.process.kill('SIGTERM');
    await once(exporter.process, 'exit');
  }
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--simulators'], { execArgv: process.execArgv });
  const [upstream] = (await once(child, 'message')) as [Upstream];
  const mib = (v: number) => `${(v / MiB).toFixed(1)} MiB`;
  try {
    let stack: RunResult[] = [];
    for (const setup of ['stack', 'default', 'merged'] as const) {
      const results: RunResult[] = [];
      for (let i = 1; i <= RUNS; i++) {
        const r = await run(upstream, setup);
        results.push(r);
        const growth = r.rssAt1000 / r.rssAt100 - 1;
        let line = `  run ${i}: rss start ${mib(r.startupRss)}, after ${MEMORY_BASELINE_AT} ${mib(r.rssAt100)}, after ${MEMORY_SCRAPES} ${mib(r.rssAt1000)} (growth ${(growth * 100).toFixed(1)} %); page says ${mib(r.pageRss)}, kernel ${mib(r.kernelRss)}`;
        if (r.latency) {
          const l = r.latency;
          line += `\n         p50 ${l.p50.toFixed(1)} ms / raw ${l.rawP50.toFixed(1)} ms = ${(l.p50 / l.rawP50).toFixed(2)} (raw with health and version ${l.requestsP50.toFixed(1)} ms = ${(l.requestsP50 / l.rawP50).toFixed(2)}), p99 ${l.p99.toFixed(1)} / ${l.rawP99.toFixed(1)} ms = ${(l.p99 / l.rawP99).toFixed(2)}, cpu ${l.cpuMs.toFixed(1)} ms/scrape = ${l.cpuRatio.toFixed(2)}x raw`;
        }
        if (i === 1) console.log(`exporter bench (${setup}): page ${results[0]?.pageKiB.toFixed(0)} KiB`);
        console.log(line);
      }
      const medianOf = (runs: RunResult[], pick: (r: RunResult) => number) => median(runs.map(pick)) / MiB;
      const memory = [
        { name: 'rss at start (median)', pick: (r: RunResult) => r.startupRss, target: '≤ 70 MiB' },
        {
          name: `rss after ${MEMORY_SCRAPES} scrapes (median)`,
          pick: (r: RunResult) => r.rssAt1000,
          target: `≤ ${setup === 'merged' ? 128 : 96} MiB`,
        },
      ];
      if (setup === 'stack') {
        stack = results;
        for (const { name, pick } of memory)
          figure('exporter', { name: `${setup}: ${name}`, value: medianOf(results, pick), unit: 'MiB' });
        continue;
      }
      for (const { name, pick, target } of memory) {
        const value = medianOf(results, pick);
        const baseline = medianOf(stack, pick);
        figure('exporter', {
          name: `${setup}: ${name}`,
          value,
          unit: 'MiB',
          baseline: { name: 'stack alone', value: baseline },
          ratio: value / baseline,
          target,
        });
      }
      figure('exporter', {
        name: `${setup}: rss growth ${MEMORY_BASELINE_AT}→${MEMORY_SCRAPES} (worst run)`,
        value: Math.max(...results.map((r) => (r.rssAt1000 / r.rssAt100 - 1) * 100)),
        unit: '%',
        target: '< 5 %',
      });
      const timed = results.flatMap((r) => (r.latency ? [r.latency] : []));
      if (timed.length > 0) {
        const worst = (pick: (l: NonNullable<RunResult['latency']>) => number) =>
          Math.max(...timed.map(pick));
        figure('exporter', {
          name: `${setup}: scrape p50 / raw fetch (worst run)`,
          value: worst((l) => l.p50 / l.rawP50),
          unit: '×',
          target: '≤ 1.2',
        });
        figure('exporter', {
          name: `${setup}: raw fetch with health and version / raw fetch (worst run)`,
          value: worst((l) => l.requestsP50 / l.rawP50),
          unit: '×',
        });
        figure('exporter', {
          name: `${setup}: scrape p99 / raw fetch (worst run)`,
          value: worst((l) => l.p99 / l.rawP99),
          unit: '×',
          target: '≤ 1.5',
        });
        figure('exporter', {
          name: `${setup}: cpu per scrape / raw fetch (median)`,
          value: median(timed.map((l) => l.cpuRatio)),
          unit: '×',
          target: '≤ 1.5',
        });
      }
    }
  } finally {
    child.disconnect();
    await once(child, 'exit');
  }
}

await (process.argv.includes('--simulators') ? serveSimulators() : main());
