/**
 * Exporter benchmark: 9 simulated servers (a simulated cluster whose coordinator proxies its 3
 * DB-Servers and 3 coordinators, plus 3 simulated agents scraped directly), merged server
 * metrics on. The simulators run in a child process, as ArangoDB runs elsewhere: their
 * rendering does not share this process's event loop with the exporter. Prints scrape latency
 * p50/p99 over 200 scrapes as a ratio to fetching the same 9 raw bodies in parallel (measured
 * interleaved, in the same run), and resident memory after 1,000 scrapes against after 100.
 * Latency is to the last byte of an answer, on both sides: a scraper reads bytes (Prometheus
 * parses them as they come), and decoding one large page into a JavaScript string here would
 * charge the exporter with this client's work.
 *
 *   node --import tsx bench/exporter.ts
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startSimulator } from '@arangops/arangodb-sim';
import { type ArangoConfig, arangoConfigSchema, createArangoConnection, createLogger } from '@arangops/core';
import { createExporter, exporterConfigSchema, SERVER_METRICS_PATH } from '@arangops/exporter';
import { figure } from './report.js';

const SCRAPES = 200;
const MEMORY_SCRAPES = 1000;
const MEMORY_BASELINE_AT = 100;
const PASSWORD = 'bench-pw';
const AUTH = `Basic ${Buffer.from(`root:${PASSWORD}`).toString('base64')}`;

const arango = (url: string): ArangoConfig =>
  arangoConfigSchema.parse({ url: [url], password: PASSWORD, retries: { max: 0 } });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

interface Upstream {
  cluster: string;
  /** DB-Servers and coordinators, proxied by the coordinator through ?serverId=. */
  members: string[];
  agents: string[];
}

/** Child process: the simulators, until the parent disconnects. */
async function serveSimulators(): Promise<void> {
  const auth = { users: { root: PASSWORD } };
  const cluster = await startSimulator({ mode: 'cluster', version: '3.12.10', auth });
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

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--simulators'], { execArgv: process.execArgv });
  const [upstream] = (await once(child, 'message')) as [Upstream];
  const logger = createLogger({ level: 'silent' });
  const connection = createArangoConnection(arango(upstream.cluster), { logger });
  const agentConnections = upstream.agents.map((endpoint) => ({
    endpoint,
    connection: createArangoConnection(arango(endpoint), { logger }),
  }));
  const exporter = createExporter({
    // What the comparison isolates: health, then 9 metrics bodies fetched, parsed, merged, written.
    config: exporterConfigSchema.parse({
      host: '127.0.0.1',
      port: 0,
      collectors: {
        serverMetrics: { enabled: true, agentEndpoints: upstream.agents },
        collections: { enabled: false },
        aql: { enabled: false },
        suite: { enabled: false },
      },
    }),
    connection,
    logger,
    agents: agentConnections,
  });
  const server = await exporter.start();

  const rawUrls = [
    ...upstream.members.map(
      (id) => `${upstream.cluster}${SERVER_METRICS_PATH}?serverId=${encodeURIComponent(id)}`,
    ),
    ...upstream.agents.map((url) => `${url}${SERVER_METRICS_PATH}`),
  ];
  const rawBodies = () =>
    Promise.all(
      rawUrls.map((url) => fetch(url, { headers: { authorization: AUTH } }).then((r) => r.arrayBuffer())),
    );
  const scrape = () => fetch(`${server.url}/metrics`).then((r) => r.arrayBuffer());

  // Warm up both paths (JIT, keep-alive connections).
  for (let i = 0; i < 20; i++) {
    await rawBodies();
    await scrape();
  }
  const page = Buffer.from(await scrape()).toString();
  const raw: number[] = [];
  const scrapes: number[] = [];
  for (let i = 0; i < SCRAPES; i++) {
    raw.push(await timed(rawBodies));
    scrapes.push(await timed(scrape));
  }
  raw.sort((a, b) => a - b);
  scrapes.sort((a, b) => a - b);

  // Resident memory is compared after full collections, so it measures what is kept, not garbage
  // not yet collected: buffers are released by V8's background sweeper, hence the pauses.
  // Without --expose-gc on the command line the flag is set here (npm run bench:exporter).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settledRss = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return process.memoryUsage().rss;
  };
  let rssAtBaseline = 0;
  for (let i = 1; i <= MEMORY_SCRAPES; i++) {
    await scrape();
    if (i === MEMORY_BASELINE_AT) rssAtBaseline = await settledRss();
  }
  const rssAtEnd = await settledRss();

  console.log(
    `exporter bench: 9 servers, page ${(page.length / 1024).toFixed(0)} KiB, ${page.split('\n').length} lines`,
  );
  for (const p of [50, 99]) {
    const [ours, base] = [percentile(scrapes, p), percentile(raw, p)];
    figure('exporter', {
      name: `scrape latency p${p}`,
      value: ours,
      unit: 'ms',
      baseline: { name: 'raw 9 bodies in parallel', value: base },
      ratio: ours / base,
      target: p === 50 ? '≤ 1.5' : undefined,
    });
  }
  figure('exporter', {
    name: `RSS after ${MEMORY_SCRAPES} scrapes`,
    value: rssAtEnd / 2 ** 20,
    unit: 'MiB',
    baseline: { name: `after ${MEMORY_BASELINE_AT}`, value: rssAtBaseline / 2 ** 20 },
    ratio: rssAtEnd / rssAtBaseline,
    target: '< 1.10',
  });

  await server.close();
  connection.close();
  for (const agent of agentConnections) agent.connection.close();
  child.disconnect();
  await once(child, 'exit');
}

await (process.argv.includes('--simulators') ? serveSimulators() : main());
