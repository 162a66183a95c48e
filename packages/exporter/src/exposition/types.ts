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

/** A family kept as exposition text: merged server metrics are relabelled, never re-parsed into numbers. */
export interface TextFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Sample lines as they go on the page (`name{labels} value`, the value as the server wrote it). */
  lines: string[];
}
