import { readFileSync } from 'node:fs';
import { InputError, registerSecret, startHttpServer, toArangopsError } from '@arangops/core';
import { CollectionRunner, type RunOptions } from './collection-run.js';
import type { Collector } from './collector.js';
import { aqlCollector } from './collectors/aql.js';
import { clusterCollector } from './collectors/cluster.js';
import { collectionsCollector } from './collectors/collections.js';
import { serverMetricsCollector } from './collectors/server-metrics.js';
import { suiteCollector } from './collectors/suite.js';
import { type Page, PageWriter } from './exposition/page-writer.js';
import { CONTENT_TYPES, negotiateFormat } from './exposition/write.js';
import { loadMetricsFile, type MetricsFile } from './profile/metrics-file.js';
import { type ReadOnlyCheck, readOnlyCheck } from './profile/read-only.js';
import { SelfMetrics } from './self-metrics.js';
import type { Exporter, ExporterOptions, ExpositionFormat } from './types.js';

/** The exporter's own version, read from its package.json (beside src/ and dist/ alike). */
export const EXPORTER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

interface Profile {
  metrics: MetricsFile;
  readOnly: ReadOnlyCheck;
}

/** Loaded once at start: a broken metrics.yaml stops the exporter with file and line, not every scrape. */
function loadProfile(options: ExporterOptions): Profile | undefined {
  const { aql } = options.config.collectors;
  const file = aql.metricsFile ?? options.metricsFile;
  if (!aql.enabled || !file) return undefined;
  const metrics = loadMetricsFile(file);
  const now = options.now ?? Date.now;
  return { metrics, readOnly: readOnlyCheck({ connection: options.connection, metrics, file, now }) };
}

function buildCollectors(options: ExporterOptions, profile: Profile | undefined): Collector[] {
  const { config, connection } = options;
  const { collectors } = config;
  const now = options.now ?? Date.now;
  const list: Collector[] = [];
  if (collectors.cluster.enabled) {
    list.push(clusterCollector({ connection, timeoutMs: collectors.cluster.timeoutMs, now }));
  }
  if (collectors.serverMetrics.enabled) {
    list.push(
      serverMetricsCollector({
        connection,
        agents: options.agents ?? [],
        timeoutMs: collectors.serverMetrics.timeoutMs,
        cardinalityLimit: config.cardinalityLimit,
        logger: options.logger,
      }),
    );
  }
  if (collectors.collections.enabled) {
    list.push(
      collectionsCollector({
        connection,
        databases: config.databases,
        declaredIndexes: options.declaredIndexes ?? [],
        timeoutMs: collectors.collections.timeoutMs,
        now,
      }),
    );
  }
  if (profile) {
    list.push(
      aqlCollector({
        connection,
        ...profile,
        timeoutMs: collectors.aql.timeoutMs,
        cardinalityLimit: config.cardinalityLimit,
        now,
        logger: options.logger,
      }),
    );
  }
  if (collectors.suite.enabled && options.runRecords) {
    list.push(suiteCollector({ runRecords: options.runRecords, timeoutMs: collectors.suite.timeoutMs }));
  }
  return list;
}

function basicAuthOf(config: ExporterOptions['config']): { username: string; password: string } | undefined {
  const auth = config.basicAuth;
  if (!auth) return undefined;
  const password = auth.password ?? readFileSync(auth.passwordFile as string, 'utf8').trimEnd();
  registerSecret(password);
  return { username: auth.username, password };
}

/** Prometheus's default `scrape_timeout`, the budget of the warm-up run. */
const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;

/** Prometheus sends its scrape timeout with every scrape; a value that is not a positive number is ignored. */
function scrapeTimeoutOf(header: string | string[] | undefined): RunOptions {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return header !== undefined && Number.isFinite(seconds) && seconds > 0
    ? { scrapeTimeoutMs: seconds * 1000 }
    : {};
}

/**
 * Every profile query explained before the page is served: one that would write stops the
 * exporter (InputError). When ArangoDB cannot be asked yet, each query is checked before it
 * first runs instead.
 */
async function checkProfile(profile: Profile | undefined, logger: ExporterOptions['logger']): Promise<void> {
  if (!profile) return;
  for (const metric of profile.metrics.metrics) {
    try {
      await profile.readOnly.check(metric);
    } catch (e) {
      if (e instanceof InputError) throw e;
      logger.warn(
        { err: toArangopsError(e).message },
        'profile metrics not checked at start (each is checked before it first runs)',
      );
      return;
    }
  }
}

export function createExporter(options: ExporterOptions): Exporter {
  const profile = loadProfile(options);
  const collectors = buildCollectors(options, profile);
  const self = new SelfMetrics();
  const arangoTimeouts = collectors.filter((c) => c.needsArango).map((c) => c.timeoutMs);
  const runner = new CollectionRunner({
    collectors,
    connection: options.connection,
    logger: options.logger,
    self,
    version: EXPORTER_VERSION,
    cardinalityLimit: options.config.cardinalityLimit,
    // The probe must leave the collectors time to run; the smallest budget bounds it.
    probeTimeoutMs: Math.min(...arangoTimeouts, 5000),
  });
  let warmedUp = false;

  // Scrapes that shared a run share its rendering too: the page can be a megabyte with server
  // metrics. The run's pages are held until the next run's replace them; each response holds
  // its page until it is sent, so that the writer reuses only buffers no one reads any more.
  const writer = new PageWriter();
  let current: {
    families: object;
    pages: Partial<Record<ExpositionFormat, Page>>;
    letGo: Array<() => void>;
  } = { families: {}, pages: {}, letGo: [] };
  /** The page of the current run in `format`, held until the returned function is called. */
  const render = async (format: ExpositionFormat, run: RunOptions = {}): Promise<[Page, () => void]> => {
    const families = await runner.run(run);
    if (current.families !== families) {
      for (const letGo of current.letGo) letGo();
      current = { families, pages: {}, letGo: [] };
    }
    let page = current.pages[format];
    if (!page) {
      page = writer.write(families, format);
      current.pages[format] = page;
      current.letGo.push(page.hold());
    }
    return [page, page.hold()];
  };

  return {
    async collect(format = 'text') {
      const [page, letGo] = await render(format);
      const text = page.bytes.toString('utf8');
      letGo();
      return text;
    },
    checkProfile: () => checkProfile(profile, options.logger),
    async start() {
      const { config, logger } = options;
      await checkProfile(profile, logger);
      const basicAuth = basicAuthOf(config);
      const server = await startHttpServer({
        host: config.host,
        port: config.port,
        logger,
        metrics: async ({ accept, headers }) => {
          const format = negotiateFormat(accept);
          const [page, letGo] = await render(
            format,
            scrapeTimeoutOf(headers['x-prometheus-scrape-timeout-seconds']),
          );
          return { contentType: CONTENT_TYPES[format], body: page.bytes, done: letGo };
        },
        // Ready once the first collection ran (whatever its outcome): the profile loaded and the page renders.
        ready: () => warmedUp,
        ...(basicAuth ? { basicAuth } : {}),
        ...(config.tls ? { tls: config.tls } : {}),
      });
      // As Prometheus would scrape by default: a first run with long budgets (a blackholed
      // server) would otherwise keep the first real scrapes waiting, as they join it.
      void runner.run({ scrapeTimeoutMs: DEFAULT_SCRAPE_TIMEOUT_MS }).finally(() => {
        warmedUp = true;
      });
      return { url: server.url, close: () => server.close() };
    },
  };
}
