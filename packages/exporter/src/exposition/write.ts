import type { ByteFamily, ExpositionFormat, Labels, MetricFamily, Sample } from './types.js';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** Picks OpenMetrics only when the client asks for it, as Prometheus does in its scrape Accept header. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'text';
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

const NEEDS_ESCAPE = /[\\"\n]/;
const escapeLabelValue = (value: string) =>
  NEEDS_ESCAPE.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : value;

// The text format escapes only backslash and newline in HELP; OpenMetrics also escapes the quote.
const escapeHelp = (help: string, format: ExpositionFormat) =>
  help.replace(format === 'openmetrics' ? /[\\"\n]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

export function formatLabels(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(labels[name] as string)}"`;
  }
  return out === '' ? '' : `{${out}}`;
}

/**
 * OpenMetrics names a counter family without `_total` and requires `_total` on its samples;
 * a counter whose name lacks `_total` cannot be expressed without renaming it, so it is
 * declared `unknown` instead (its samples keep their names either way).
 */
function openMetricsHeader(family: MetricFamily | ByteFamily): { name: string; type: string } {
  if (family.type === 'counter') {
    return family.name.endsWith('_total')
      ? { name: family.name.slice(0, -'_total'.length), type: 'counter' }
      : { name: family.name, type: 'unknown' };
  }
  return { name: family.name, type: family.type === 'untyped' ? 'unknown' : family.type };
}

/** A family's HELP and TYPE lines. */
export function header(family: MetricFamily | ByteFamily, format: ExpositionFormat): string {
  const { name, type } =
    format === 'openmetrics' ? openMetricsHeader(family) : { name: family.name, type: family.type };
  return `# HELP ${name} ${escapeHelp(family.help || family.name, format)}\n# TYPE ${name} ${type}\n`;
}

/** One sample line of a family built at scrape time. */
export const sampleLine = (sample: Sample) =>
  `${sample.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`;
