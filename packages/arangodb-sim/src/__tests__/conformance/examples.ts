import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded request/response pair (fields: test/data/SOURCES.md). */
export interface Example {
  id: string;
  version: string;
  deployment: 'single' | 'cluster';
  description?: string;
  step?: string;
  unrecordedPriorRequests?: PriorRequest[];
  method: string;
  path: string;
  query: Record<string, string>;
  rawUrl: string;
  requestHeaders?: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  otherResponseHeaders?: Record<string, string>;
  responseBody: unknown;
  /** Set on 3.12.0/3.11.4 recordings: the id of the current recording of the same example. */
  olderRecordingOf?: string;
}

export interface PriorRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  requestBody?: unknown;
}

/** The recorded examples, carried by the repository (origins in test/data/SOURCES.md). */
export const EXAMPLES_FILE = fileURLToPath(
  new URL('../../../../../test/data/arangodb-http-examples.json', import.meta.url),
);

/**
 * Older recordings (3.12.0, 3.11.4) were kept without their request bodies; the request of an
 * example did not change between releases, so the current recording of the same example supplies it.
 */
export function loadExamples(): Example[] {
  const all = JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as Example[];
  const byId = new Map(all.map((e) => [e.id, e]));
  for (const e of all) {
    const current = e.olderRecordingOf ? byId.get(e.olderRecordingOf) : undefined;
    if (!current) continue;
    if (e.requestBody === null) e.requestBody = current.requestBody;
    e.unrecordedPriorRequests?.forEach((p, i) => {
      p.requestBody ??= current.unrecordedPriorRequests?.[i]?.requestBody;
    });
  }
  return all;
}

/** Path without `/_db/<name>`. */
export function apiPath(e: { path: string }): string {
  return e.path.replace(/^\/_db\/[^/]+/, '') || '/';
}

export type Family =
  | 'version'
  | 'admin'
  | 'database'
  | 'collection'
  | 'index'
  | 'document'
  | 'edges'
  | 'import'
  | 'cursor'
  | 'explain'
  | 'query'
  | 'gharial'
  | 'view'
  | 'analyzer'
  | 'user'
  | 'metrics';

const OUT_OF_SCOPE: [RegExp, string][] = [
  [/^\/_api\/transaction/, 'JS and stream transactions not simulated'],
  [/^\/_api\/job/, 'async jobs not simulated'],
  [/^\/_api\/replication|^\/_api\/wal/, 'replication/WAL tailing not simulated'],
  [/^\/_api\/control_pregel/, 'Pregel not simulated'],
  [/^\/_api\/tasks/, 'server tasks (JS) not simulated'],
  [/^\/_api\/aqlfunction/, 'AQL user functions (JS) not simulated'],
  [/^\/_api\/batch/, 'batch requests (multipart) not simulated'],
  [
    /^\/_api\/query-cache|^\/_api\/query-plan-cache|^\/_api\/query\/rules/,
    'query caches and optimizer rule list not simulated',
  ],
  [/^\/_api\/token/, 'access tokens not simulated'],
  [/^\/_api\/endpoint|^\/_api\/key-generators/, 'endpoint/key-generator listing not simulated'],
  [/^\/_admin\/backup/, 'hot backup not simulated (arangops backups use its own pipeline)'],
  [
    /^\/_admin\/(statistics|statistics-description|support-info|compact)/,
    'admin statistics/support-info/compact not simulated',
  ],
];

export function classify(e: Example): { family: Family } | { outOfScope: string } {
  if (e.requestHeaders && Object.keys(e.requestHeaders).some((h) => h.toLowerCase() === 'x-arango-async')) {
    return { outOfScope: 'async jobs (x-arango-async) not simulated' };
  }
  const p = apiPath(e);
  for (const [re, reason] of OUT_OF_SCOPE) if (re.test(p)) return { outOfScope: reason };
  const table: [RegExp, Family][] = [
    [/^\/_api\/version/, 'version'],
    [/^\/_api\/engine|^\/_admin\/(status|time|server\/role|license)/, 'admin'],
    [/^\/_admin\/metrics/, 'metrics'],
    [/^\/_api\/database/, 'database'],
    [/^\/_api\/collection/, 'collection'],
    [/^\/_api\/index/, 'index'],
    [/^\/_api\/document/, 'document'],
    [/^\/_api\/edges/, 'edges'],
    [/^\/_api\/import/, 'import'],
    [/^\/_api\/cursor/, 'cursor'],
    [/^\/_api\/explain/, 'explain'],
    [/^\/_api\/query$/, 'query'],
    [/^\/_api\/gharial/, 'gharial'],
    [/^\/_api\/view/, 'view'],
    [/^\/_api\/analyzer/, 'analyzer'],
    [/^\/_api\/user/, 'user'],
  ];
  for (const [re, family] of table) if (re.test(p)) return { family };
  return { outOfScope: `unclassified endpoint ${p}` };
}

/** Multi-step examples (`id#n`) replay against one simulator, in order. */
export function groupKey(e: Example): string {
  return e.id.replace(/#\d+$/, '');
}
