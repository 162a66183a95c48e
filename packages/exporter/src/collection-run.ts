import { performance } from 'node:perf_hooks';
import { type ArangoConnection, type Logger, toArangopsError, withSpan } from '@arangops/core';
import { FetchFailedError } from 'arangojs/errors';
import { type Collector, type CollectorContext, FamilyBuilder } from './collector.js';
import type { ByteFamily, MetricFamily } from './exposition/types.js';
import { SELF_METRICS } from './metric-names.js';
import type { SelfMetrics } from './self-metrics.js';

export interface CollectionRunnerOptions {
  collectors: Collector[];
  connection: ArangoConnection;
  logger: Logger;
  self: SelfMetrics;
  version: string;
  cardinalityLimit: number;
  /** Budget of the version probe that decides `arangops_up`. */
  probeTimeoutMs: number;
}

type Family = MetricFamily | ByteFamily;

/** What the version probe learnt: ArangoDB's version, or whether it could not be reached at all. */
type ProbeResult = { version: string; license: string } | { unreachable: boolean };

/** What a scrape may spend: Prometheus says how long it waits (`X-Prometheus-Scrape-Timeout-Seconds`). */
export interface RunOptions {
  scrapeTimeoutMs?: number;
}

/**
 * The part of Prometheus's scrape timeout the collectors may use: the rest renders and sends the
 * page (half of it for short timeouts, 500 ms for longer ones).
 */
function collectorBudgetMs(scrapeTimeoutMs: number): number {
  return Math.max(scrapeTimeoutMs / 2, scrapeTimeoutMs - 500);
}

export class CollectorTimeoutError extends Error {
  override readonly name = 'CollectorTimeoutError';
}

/**
 * Runs every collector concurrently, each within its own budget, and hands back one list of
 * families. Concurrent callers share the run in flight (single-flight), so two Prometheus
 * replicas scraping at once cost ArangoDB one run.
 */
export class CollectionRunner {
  #inflight: Promise<Family[]> | undefined;

  constructor(private readonly options: CollectionRunnerOptions) {}

  /** Concurrent callers join the run in flight, under the budget of the scrape that started it. */
  run(options: RunOptions = {}): Promise<Family[]> {
    this.#inflight ??= this.#run(options).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #run(options: RunOptions): Promise<Family[]> {
    const { self, collectors } = this.options;
    return withSpan(
      'arangops.exporter.scrape',
      { collectors: collectors.length },
      async (span) => {
        self.resetGauges();
        // Settled when the run ends too: left pending, or chained to a promise that never settles
        // (as it once was), it keeps every race against it reachable, and with them the run's results.
        let endRun = () => {};
        let cutShort = () => {};
        const unreachable = new Promise<never>((_, reject) => {
          endRun = () => reject(new Error('collection run ended'));
          cutShort = () => reject(new Error('ArangoDB cannot be reached'));
        });
        // Observed here too: a run without ArangoDB collectors never races it.
        unreachable.catch(() => {});
        const shared = new Map<string, Promise<unknown>>();
        const scrapeBudgetMs =
          options.scrapeTimeoutMs === undefined ? Infinity : collectorBudgetMs(options.scrapeTimeoutMs);
        const collecting = Promise.all(
          collectors.map((c) =>
            this.#runCollector(c, Math.min(c.timeoutMs, scrapeBudgetMs), unreachable, shared),
          ),
        );
        // The probe runs beside the collectors rather than before them, so a healthy scrape pays
        // no extra round trip, and is asked once their requests are out (making its request took
        // 0.3 ms they would wait for). Only when ArangoDB cannot be reached at all are the ArangoDB
        // collectors cut short; any other failure (a 503, a timeout) leaves each collector to
        // report its own outcome, so one bad answer does not blank the page and reset alerts' `for:`.
        const probe = this.#probe();
        void probe.then((result) => {
          if ('unreachable' in result && result.unreachable) cutShort();
        });
        // Once the requests are out, while their answers are on the way (see processFamilies).
        const processFamilies = new Promise((resolve) => setImmediate(resolve)).then(() =>
          self.processFamilies(),
        );
        processFamilies.catch(() => {});
        const results = await collecting;
        endRun();
        const probed = await probe;
        const up = 'version' in probed;
        span.setAttribute('arangodb.up', up);
        self.up.set(up ? 1 : 0);
        self.buildInfo.set({ version: this.options.version }, 1);
        // In a metric of its own: as a label of build_info it made a new series per outage.
        if (up) self.arangodbBuildInfo.set({ version: probed.version, license: probed.license }, 1);
        const collected = this.#uniqueByName(results.flat());
        return [...(await self.families()), ...(await processFamilies), ...collected];
      },
      // Each scrape is its own trace, not a child of the long-running command's span.
      { root: true },
    );
  }

  /** Asks twice within its budget: one lost or refused answer (a 503 during a restart) is not an outage. */
  async #probe(): Promise<ProbeResult> {
    const deadline = performance.now() + this.options.probeTimeoutMs;
    let error: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const timeoutMs = Math.floor(deadline - performance.now());
      if (timeoutMs <= 0) break;
      try {
        const body = (await withTimeout(
          this.options.connection.database().request({ pathname: '/_api/version', timeout: timeoutMs }),
          timeoutMs,
        )) as { version?: unknown; license?: unknown };
        const text = (value: unknown) => (typeof value === 'string' ? value : 'unknown');
        return { version: text(body.version), license: text(body.license) };
      } catch (e) {
        error = e;
      }
    }
    this.options.logger.warn({ err: toArangopsError(error).message }, 'ArangoDB version probe failed');
    return { unreachable: error instanceof FetchFailedError };
  }

  async #runCollector(
    collector: Collector,
    timeoutMs: number,
    unreachable: Promise<never>,
    shared: Map<string, Promise<unknown>>,
  ): Promise<Family[]> {
    const { self, logger, cardinalityLimit } = this.options;
    const labels = { collector: collector.name };
    const controller = new AbortController();
    const builders: FamilyBuilder[] = [];
    const extra: ByteFamily[] = [];
    const countDropped = (metric: string, count = 1) => {
      if (!controller.signal.aborted) self.droppedLabelSets.inc({ metric }, count);
    };
    const context: CollectorContext = {
      signal: controller.signal,
      timeoutMs,
      family(definition, options) {
        const builder = new FamilyBuilder(definition, cardinalityLimit, countDropped, options?.keepOnFailure);
        builders.push(builder);
        return builder;
      },
      addFamilies: (families) => extra.push(...families),
      countDropped,
      shared<T>(key: string, load: () => Promise<T>): Promise<T> {
        let entry = shared.get(key);
        if (!entry) {
          entry = load();
          shared.set(key, entry);
        }
        return entry as Promise<T>;
      },
    };
    const started = performance.now();
    try {
      await withSpan('arangops.exporter.collector', labels, () => {
        const work = collector.collect(context);
        return withTimeout(
          collector.needsArango ? Promise.race([work, unreachable]) : work,
          timeoutMs,
          controller,
        );
      });
      self.collectorSuccess.set(labels, 1);
      return [...builders.map((b) => b.family), ...extra];
    } catch (e) {
      self.collectorSuccess.set(labels, 0);
      logger.warn({ collector: collector.name, err: toArangopsError(e).message }, 'collector failed');
      // Copied: the abandoned work may still set values, and the page must not change once served.
      return builders
        .filter((b) => b.keepOnFailure)
        .map((b) => ({ ...b.family, samples: b.family.samples.map((sample) => ({ ...sample })) }));
    } finally {
      // Whatever decided the outcome, work still running for this collector is no longer wanted.
      controller.abort();
      self.collectorDuration.set(labels, (performance.now() - started) / 1000);
    }
  }

  /** A family name may appear once per page; a later duplicate (e.g. a server metric named like ours) is dropped. */
  #uniqueByName(families: Family[]): Family[] {
    const seen = new Set<string>(Object.values(SELF_METRICS).map((m) => m.name));
    return families.filter((family) => {
      if (seen.has(family.name)) {
        this.options.self.droppedLabelSets.inc(
          { metric: family.name },
          'runs' in family ? family.lineCount : family.samples.length,
        );
        return false;
      }
      seen.add(family.name);
      return true;
    });
  }
}

/** Settles with `work`, or rejects once `ms` passed (aborting `controller` so the work can stop early). */
export function withTimeout<T>(work: Promise<T>, ms: number, controller?: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new CollectorTimeoutError(`timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
