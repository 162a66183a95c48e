import { InputError, parseYaml, readInputFile } from '@arangops/core';
import { isNode } from 'yaml';
import { z } from 'zod';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Reserved by the exposition format, or set by the exporter's own page.
const RESERVED_LABELS = new Set(['le', 'quantile']);

const timeBindVarSchema = z.strictObject({
  secondsAgo: z.number().nonnegative().describe('The bind value is the scrape time minus this many seconds.'),
  format: z
    .enum(['iso8601', 'unixSeconds', 'unixMilliseconds'])
    .default('iso8601')
    .describe('How the time is passed: an ISO 8601 string (as CodeValdCortex stores dates) or a number.'),
});

const metricSchema = z
  .strictObject({
    name: z.string().regex(METRIC_NAME, 'must be a Prometheus metric name without colons'),
    help: z.string().min(1),
    type: z.enum(['gauge', 'counter']).default('gauge'),
    query: z.string().min(1).describe('AQL returning one object per sample.'),
    bindVars: z.record(z.string(), z.unknown()).default({}),
    timeBindVars: z
      .record(z.string(), timeBindVarSchema)
      .default({})
      .describe('Bind parameters computed at scrape time, e.g. a staleness cut-off.'),
    labels: z
      .array(
        z
          .string()
          .regex(LABEL_NAME, 'must be a Prometheus label name')
          .refine((l) => !RESERVED_LABELS.has(l) && !l.startsWith('__'), 'is a reserved label name'),
      )
      .default([])
      .describe('Result columns that become labels; null becomes the empty string.'),
    value: z.string().min(1).default('value').describe('Result column holding the sample value.'),
    timeoutMs: z.number().int().positive().optional(),
    minIntervalSeconds: z
      .number()
      .nonnegative()
      .optional()
      .describe('Re-run the query at most this often; in between the last result is served.'),
    zeroFill: z
      .boolean()
      .default(false)
      .describe(
        'For counts: a label set the query returned before (or one of labelValues) reports 0 when the query no longer returns it, instead of disappearing.',
      ),
    labelValues: z
      .record(z.string(), z.array(z.string()).min(1))
      .default({})
      .describe('Known values of labels, reported as 0 from the first scrape on (needs zeroFill).'),
  })
  .superRefine((metric, ctx) => {
    if (metric.type === 'counter' && !metric.name.endsWith('_total')) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'a counter name must end in _total' });
    }
    if (metric.type === 'gauge' && metric.name.endsWith('_total')) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'only counters may end in _total' });
    }
    if (metric.labels.includes(metric.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'the value column cannot also be a label' });
    }
    if (new Set(metric.labels).size !== metric.labels.length) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels repeat' });
    }
    for (const label of Object.keys(metric.labelValues)) {
      if (!metric.labels.includes(label)) {
        ctx.addIssue({ code: 'custom', path: ['labelValues', label], message: 'is not one of labels' });
      }
    }
    if (Object.keys(metric.labelValues).length > 0 && !metric.zeroFill) {
      ctx.addIssue({ code: 'custom', path: ['labelValues'], message: 'needs zeroFill: true' });
    }
    for (const name of Object.keys(metric.timeBindVars)) {
      if (name in metric.bindVars) {
        ctx.addIssue({ code: 'custom', path: ['timeBindVars', name], message: 'also set in bindVars' });
      }
    }
  });

export const metricsFileSchema = z
  .strictObject({
    version: z.literal(1),
    database: z
      .string()
      .min(1)
      .optional()
      .describe('Database the queries run in; default: the connection’s.'),
    defaults: z
      .strictObject({
        timeoutMs: z.number().int().positive().default(5000),
        minIntervalSeconds: z.number().nonnegative().default(0),
        memoryLimitBytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024)
          .describe('Memory each query may use on the server before ArangoDB aborts it (its memoryLimit).'),
      })
      .prefault({}),
    metrics: z.array(metricSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [i, metric] of file.metrics.entries()) {
      if (seen.has(metric.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'name'],
          message: `${metric.name} is defined twice`,
        });
      }
      seen.add(metric.name);
    }
  });

export type MetricsFile = z.infer<typeof metricsFileSchema>;
export type ProfileMetric = MetricsFile['metrics'][number];

/** Reads and validates a profile's metrics.yaml; problems come out as an InputError naming file and line. */
export function loadMetricsFile(file: string): MetricsFile {
  return parseMetricsFile(readInputFile(file, 'metrics file'), file);
}

export function parseMetricsFile(text: string, file: string): MetricsFile {
  const { doc, lineCounter, value } = parseYaml(text, file);
  const result = metricsFileSchema.safeParse(value);
  if (result.success) return result.data;
  const located = result.error.issues.map((issue) => {
    // Point at the deepest node that exists: a missing key is reported at its parent mapping.
    let node: unknown;
    for (let depth = issue.path.length; depth >= 0 && !isNode(node); depth--) {
      node = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
    }
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
    return { field: issue.path.join('.'), message: issue.message, line: pos?.line, column: pos?.col };
  });
  const [first] = located as [(typeof located)[number], ...typeof located];
  const others = located
    .slice(1)
    .map((i) => `; ${i.field || '(root)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`);
  throw new InputError(`${first.message}${others.join('')}`, {
    file,
    line: first.line,
    column: first.column,
    field: first.field || undefined,
  });
}
