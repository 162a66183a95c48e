/** The text format 0.0.4, or OpenMetrics 1.0 for a client that asks for it. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** The metric types of the Prometheus text format; `untyped` covers samples without a TYPE line. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** Label names in insertion order (valid label names are never integer-like, so object order is kept). */
export type Labels = Record<string, string>;

export interface Sample {
  /** Full sample name, e.g. `x_bucket` for a histogram family `x`. */
  name: string;
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

/** Bytes cut into lines: line i is `bytes` from `lineStarts[i]` up to `lineStarts[i + 1]` (a split server body). */
export interface LineSource {
  bytes: Buffer;
  lineStarts: Int32Array;
}

/** A family kept as exposition bytes: merged server metrics are relabelled, never re-parsed into numbers. */
export interface ByteFamily {
  name: string;
  help: string;
  type: MetricType;
  /** The bodies its sample lines are in, as they go on the page (`name{labels} value\n`, the value as the server wrote it). */
  sources: readonly LineSource[];
  /**
   * Its lines, three numbers a run: a source's index, its first line and its end line. Ranges,
   * not views: a view per run was most of what a merged scrape allocated.
   */
  runs: readonly number[];
  lineCount: number;
  /** Its HELP and TYPE lines by format, rendered once: a merge plan hands the same object to every scrape. */
  headers: Partial<Record<ExpositionFormat, Buffer>>;
}
