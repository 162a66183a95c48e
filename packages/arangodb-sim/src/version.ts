/**
 * Version-dependent behaviour in one place. Each flag names the recording that proves it
 * (`test/data/arangodb-http-examples.json`).
 */
export interface VersionInfo {
  readonly full: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseVersion(v: string): VersionInfo {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) throw new Error(`unsupported version string: ${v}`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 3 || (minor !== 11 && minor !== 12))
    throw new Error(`only 3.11.x and 3.12.x are simulated, got ${v}`);
  return { full: v, major, minor, patch };
}

function atLeast(v: VersionInfo, minor: number, patch: number): boolean {
  return v.minor > minor || (v.minor === minor && v.patch >= patch);
}

export const is312 = (v: VersionInfo): boolean => v.minor >= 12;
/**
 * Several 3.12 shapes changed after 3.12.0: the 3.12.0 recordings lack them, the 3.12.1+ ones have
 * them. Where only 3.12.0 and 3.12.10 were recorded, 3.12.1 is the assumed boundary.
 */
const after3120 = (v: VersionInfo): boolean => atLeast(v, 12, 1);
/** `supportsRBAC` on collection objects. */
export const hasSupportsRbac = after3120;
/** Explain `stats.rules` (3.12.10 recordings; absent in 3.11 and 3.12.0). */
export const hasExplainRuleStats = after3120;
/** `warnings` in POST /_api/query answers (3.12.1 recording; absent in 3.11.9/3.11.14). */
export const hasParseWarnings = after3120;
/** Enterprise graphs report `initialCid` in 3.11 and 3.12.0, not in 3.12.10. */
export const hasInitialCid = (v: VersionInfo): boolean => !after3120(v);
/** GET /_admin/license reports disk usage (3.12.10) instead of the signed license (3.11, 3.12.0). */
export const hasDiskUsageLicense = after3120;
/** zkd indexes report `fieldValueTypes` in 3.11.14, not in 3.11.4 (boundary assumed at 3.11.5). */
export const hasZkdFieldValueTypes = (v: VersionInfo): boolean => atLeast(v, 11, 5);
/** `apiVersions`/`deprecatedApiVersions`/`requestedApiVersion` in `/_api/version` since 3.12.8. */
export const hasApiVersions = (v: VersionInfo): boolean => atLeast(v, 12, 8);
/** Cursor stats `documentLookups`, `seeks` (3.12.0+) and `searchParallelism` (after 3.12.0). */
export const hasDocumentLookups = (v: VersionInfo): boolean => is312(v);
export const hasSearchParallelism = after3120;
/** 3.12.7 replaced the tier consolidation options (api-changes-in-3-12.md). */
export const hasNewConsolidation = (v: VersionInfo): boolean => atLeast(v, 12, 7);
/** 3.12.6 raised consolidationIntervalMsec and segment defaults. */
export const hasNewConsolidationDefaults = (v: VersionInfo): boolean => atLeast(v, 12, 6);

/** Default arangosearch / inverted-index consolidation policy per version. */
export function consolidationPolicy(v: VersionInfo): Record<string, unknown> {
  if (hasNewConsolidation(v)) {
    return { type: 'tier', segmentsBytesMax: 8589934592, maxSkewThreshold: 0.4, minDeletionRatio: 0.5 };
  }
  if (hasNewConsolidationDefaults(v)) {
    return {
      type: 'tier',
      segmentsBytesFloor: 25165824,
      segmentsBytesMax: 8589934592,
      segmentsMax: 200,
      segmentsMin: 50,
      minScore: 0,
    };
  }
  return {
    type: 'tier',
    segmentsBytesFloor: 2097152,
    segmentsBytesMax: 5368709120,
    segmentsMax: 10,
    segmentsMin: 1,
    minScore: 0,
  };
}

export const consolidationIntervalMsec = (v: VersionInfo): number =>
  hasNewConsolidationDefaults(v) ? 5000 : 1000;
