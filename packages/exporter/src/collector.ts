import type { ByteFamily, Labels, MetricFamily } from './exposition/types.js';
import type { MetricDefinition } from './metric-names.js';
import type { CollectorName } from './types.js';

/** One metric family being filled during a collection run, capped in label sets. */
export class FamilyBuilder {
  readonly family: MetricFamily;
  readonly #index = new Map<string, number>();

  constructor(
    definition: Pick<MetricDefinition, 'name' | 'help' | 'type'>,
    private readonly limit: number,
    private readonly onDrop: (metric: string) => void,
    /** Kept on the page (as it stood) when the collector fails or runs out of time. */
    readonly keepOnFailure = false,
  ) {
    this.family = { name: definition.name, help: definition.help, type: definition.type, samples: [] };
  }

  /** Sets the value of a label set; a new label set past the limit is dropped and counted. */
  set(labels: Labels, value: number): void {
    let key = '';
    for (const name in labels) key += `\u0000${name}\u0001${labels[name]}`;
    const at = this.#index.get(key);
    if (at !== undefined) {
      (this.family.samples[at] as { value: number }).value = value;
      return;
    }
    if (this.#index.size >= this.limit) {
      this.onDrop(this.family.name);
      return;
    }
    this.#index.set(key, this.family.samples.length);
    this.family.samples.push({ name: this.family.name, labels, value });
  }
}

export interface CollectorContext {
  /** Aborted when the collector's time budget is spent; pass it on to long work. */
  readonly signal: AbortSignal;
  /** The collector's time budget, for per-request timeouts. */
  readonly timeoutMs: number;
  /**
   * A new capped family whose samples appear on the page if the collector succeeds; with
   * `keepOnFailure`, also as they stand when it fails (status series an alert must always find).
   */
  family(
    definition: Pick<MetricDefinition, 'name' | 'help' | 'type'>,
    options?: { keepOnFailure?: boolean },
  ): FamilyBuilder;
  /** Families built elsewhere (merged server metrics); already capped by the caller. */
  addFamilies(families: ByteFamily[]): void;
  /** Counts label sets left out of a family. */
  countDropped(metric: string, count: number): void;
  /** Work shared by collectors in one run (e.g. the cluster health), done once per run. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface Collector {
  readonly name: CollectorName;
  /** Collectors that talk to ArangoDB are skipped (and report failure) when the probe fails. */
  readonly needsArango: boolean;
  readonly timeoutMs: number;
  collect(context: CollectorContext): Promise<void>;
}

/**
 * The timeout of one request within a collector's budget: a margin is kept back, so that a
 * request that never answers fails alone, before the collector's own deadline takes the rest.
 */
export function requestTimeoutMs(budgetMs: number): number {
  return Math.max(1, Math.min(budgetMs - 250, budgetMs * 0.8));
}
