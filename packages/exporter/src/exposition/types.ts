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

/** A family kept as exposition bytes: merged server metrics are relabelled, never re-parsed into numbers. */
export interface ByteFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Its sample lines as they go on the page (`name{labels} value\n`, the value as the server wrote it), in runs. */
  chunks: Uint8Array[];
  lineCount: number;
  /** Its HELP and TYPE lines by format, rendered once: a merge plan hands the same object to every scrape. */
  headers: Partial<Record<ExpositionFormat, Buffer>>;
}
