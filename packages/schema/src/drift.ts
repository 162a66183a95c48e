/** `arangops drift` as a library: inspect, diff, filter, report. Read-only. */
import type { ArangoConnection } from '@arangops/core';
import { classRank, DRIFT_CLASSES } from './classes.js';
import { diffSchema, type SchemaDiff } from './diff.js';
import { compileIgnore } from './ignore.js';
import { inspectDatabase } from './inspect.js';
import { recordDriftMetrics, type SchemaMetrics } from './metrics.js';
import { sampleDocuments } from './sample.js';
import type { DriftClass, DriftReport, LiveState, LoadedProfile, SampleResult } from './types.js';

export interface DriftOptions {
  connection: ArangoConnection;
  profile: LoadedProfile;
  /** Globs of drift paths to leave out of the report. */
  ignore?: readonly string[];
  /** Least severe class that makes the report fail. Default additive (any drift). */
  failOn?: DriftClass;
  /** Documents per collection to check against the declared rule; 0 = off. */
  sampleSize?: number;
  /** When given, the outcome (report or error) is recorded on these metrics. */
  metrics?: SchemaMetrics;
}

export async function runDrift(options: DriftOptions): Promise<DriftReport> {
  try {
    const report = await check(options);
    if (options.metrics) recordDriftMetrics(options.metrics, report);
    return report;
  } catch (e) {
    if (options.metrics) recordDriftMetrics(options.metrics, e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
}

async function check(options: DriftOptions): Promise<DriftReport> {
  const started = new Date();
  const live = await inspectDatabase(options.connection, options.profile.profile);
  const diff = diffSchema(options.profile.profile, live);
  const samples =
    options.sampleSize && options.sampleSize > 0
      ? await sampleDocuments(options.connection, options.profile.profile, live, options.sampleSize)
      : [];
  return buildReport({
    profile: options.profile,
    live,
    diff,
    started,
    samples,
    ignore: options.ignore,
    failOn: options.failOn,
  });
}

export interface BuildReportInput {
  profile: LoadedProfile;
  live: LiveState;
  diff: SchemaDiff;
  started: Date;
  finished?: Date;
  samples?: SampleResult[];
  ignore?: readonly string[] | undefined;
  failOn?: DriftClass | undefined;
}

export function buildReport(input: BuildReportInput): DriftReport {
  const finished = input.finished ?? new Date();
  const ignored = compileIgnore(input.ignore ?? []);
  const items = input.diff.items.filter((i) => !ignored(i.path));
  const deprecations = input.diff.deprecations.filter((d) => !ignored(d.path));
  const failOn = input.failOn ?? 'additive';
  const summary = Object.fromEntries(
    DRIFT_CLASSES.map((c) => [c, items.filter((i) => i.class === c).length]),
  ) as Record<DriftClass, number>;
  return {
    profile: input.profile.dir,
    server: { role: input.live.role, version: input.live.version },
    startedAt: input.started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - input.started.getTime()) / 1000,
    items,
    ignored: input.diff.items.length - items.length,
    deprecations,
    samples: input.samples ?? [],
    summary,
    inSync: !items.some((i) => classRank(i.class) >= classRank(failOn)),
    failOn,
  };
}
