import { readFileSync } from 'node:fs';
import { registerSecret, startHttpServer } from '@arangops/core';
import { CollectionRunner } from './collection-run.js';
import type { Collector } from './collector.js';
import { aqlCollector } from './collectors/aql.js';
import { clusterCollector } from './collectors/cluster.js';
import { collectionsCollector } from './collectors/collections.js';
import { serverMetricsCollector } from './collectors/server-metrics.js';
import { suiteCollector } from './collectors/suite.js';
import { CONTENT_TYPES, negotiateFormat, writeExposition } from './exposition/write.js';
import { loadMetricsFile } from './profile/metrics-file.js';
import { SelfMetrics } from './self-metrics.js';
import type { Exporter, ExporterOptions, ExpositionFormat } from './types.js';

/** The exporter's own version, read from its package.json (beside src/ and dist/ alike). */
export const EXPORTER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function buildCollectors(options: ExporterOptions): Collector[] {
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
      }),
    );
  }
  const metricsFile = collectors.aql.metricsFile ?? options.metricsFile;
  if (collectors.aql.enabled && metricsFile) {
    // Loaded once at start: a broken metrics.yaml stops the exporter with file and line, not every scrape.
    const metrics = loadMetricsFile(metricsFile);
    list.push(
      aqlCollector({ connection, metrics, timeoutMs: collectors.aql.timeoutMs, now, logger: options.logger }),
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

export function createExporter(options: ExporterOptions): Exporter {
  const collectors = buildCollectors(options);
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

  // Scrapes that shared a run share its rendering too: the page can be a megabyte with server metrics.
  const rendered = new WeakMap<object, Partial<Record<ExpositionFormat, Buffer>>>();
  const render = async (format: ExpositionFormat): Promise<Buffer> => {
    const families = await runner.run();
    let pages = rendered.get(families);
    if (!pages) {
      pages = {};
      rendered.set(families, pages);
    }
    pages[format] ??= writeExposition(families, format);
    return pages[format];
  };

  return {
    collect: async (format = 'text') => (await render(format)).toString('utf8'),
    async start() {
      const { config, logger } = options;
      const basicAuth = basicAuthOf(config);
      const server = await startHttpServer({
        host: config.host,
        port: config.port,
        logger,
        metrics: async ({ accept }) => {
          const format = negotiateFormat(accept);
          return { contentType: CONTENT_TYPES[format], body: await render(format) };
        },
        // Ready once the first collection ran (whatever its outcome): the profile loaded and the page renders.
        ready: () => warmedUp,
        ...(basicAuth ? { basicAuth } : {}),
        ...(config.tls ? { tls: config.tls } : {}),
      });
      void runner.run().finally(() => {
        warmedUp = true;
      });
      return { url: server.url, close: () => server.close() };
    },
  };
}
