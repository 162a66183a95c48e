/**
 * Loads configuration from a YAML file, the environment and flags (in rising
 * precedence), validates it once with zod and reports every problem at once,
 * each with its path and where the value came from.
 *
 * Environment variable names are derived from the schema, so there is no list
 * to keep in step: `exporter.collectors.aql.timeoutMs` is
 * `ARANGOPS_EXPORTER_COLLECTORS_AQL_TIMEOUT_MS`.
 */
import { z } from 'zod';
import { STANDARD_ENV } from './config.js';
import { ConfigError, type ConfigIssue, InputError } from './errors.js';
import { registerSecret } from './secrets.js';
import { parseYaml, readInputFile, UNSAFE_KEYS } from './yaml-input.js';

type Json = Record<string, unknown>;

export interface ConfigSources {
  /** Path of a YAML config file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags: nested objects or dotted keys (`{'arango.url': [...]}`). */
  flags?: Record<string, unknown>;
  /**
   * `--set path=value` text, read by the type of the setting as environment
   * variables are: a string setting keeps the text as given (`[`, `#`, `0o17`
   * and quotes included), so a password is never parsed and never echoed.
   */
  settings?: Record<string, string>;
}

/** One setting as the reference table shows it. */
export interface ConfigSetting {
  path: string;
  env: string;
  /** Other variables that also set it (the standard ARANGO_* / AWS_* ones). */
  aliases: string[];
  type: string;
  default: unknown;
  description: string;
  secret: boolean;
}

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  secret?: boolean;
  anyOf?: JsonSchemaNode[];
  additionalProperties?: boolean | JsonSchemaNode;
}

export function envName(path: string): string {
  return `ARANGOPS_${path
    .split('.')
    .map((seg) => seg.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_')}`;
}

/** Every leaf setting of a schema, in declaration order. */
export function configReference(schema: z.ZodType): ConfigSetting[] {
  return leafSettings(inputJsonSchema(schema));
}

function inputJsonSchema(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}

function leafSettings(root: JsonSchemaNode): ConfigSetting[] {
  const out: ConfigSetting[] = [];
  const walk = (node: JsonSchemaNode, path: string[]) => {
    const props = node.properties;
    if (props && typeOf(node) === 'object') {
      for (const [key, child] of Object.entries(props)) walk(child, [...path, key]);
      return;
    }
    const dotted = path.join('.');
    out.push({
      path: dotted,
      env: envName(dotted),
      aliases: Object.entries(STANDARD_ENV)
        .filter(([, p]) => p === dotted)
        .map(([name]) => name),
      type: node.enum ? node.enum.map((v) => JSON.stringify(v)).join(' | ') : typeOf(node),
      default: node.default,
      description: node.description ?? '',
      secret: node.secret === true,
    });
  };
  walk(root, []);
  return out;
}

function typeOf(node: JsonSchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeOf).join(' | ');
  if (Array.isArray(node.type)) return node.type.join(' | ');
  if (node.type === 'array') return `${node.items ? typeOf(node.items) : 'unknown'}[]`;
  return node.type ?? 'unknown';
}

export function loadConfig<S extends z.ZodType>(schema: S, sources: ConfigSources = {}): z.infer<S> {
  const root = inputJsonSchema(schema);
  const settings = leafSettings(root);
  const types = new Map(settings.map((s) => [s.path, s.type]));
  const origin = new Map<string, string>();
  const merged: Json = {};
  const issues: ConfigIssue[] = [];
  const unsafe = (path: string, from: string) =>
    issues.push({ path, message: `not a setting; refused (from ${from})` });

  if (sources.file) {
    const fromFile = readConfigFile(sources.file, issues);
    mergeInto(merged, fromFile, origin, `file ${sources.file}`, '', unsafe);
  }
  const env = sources.env ?? {};
  for (const setting of settings) {
    // Standard names first, so the ARANGOPS_* form of the same setting wins.
    for (const name of [...setting.aliases, setting.env]) {
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      setPath(merged, setting.path, fromString(raw, setting.type));
      origin.set(setting.path, `env ${name}`);
    }
  }
  for (const [path, raw] of Object.entries(sources.settings ?? {})) {
    // An unknown path keeps its text; the strict check below names it.
    if (setPath(merged, path, fromString(raw, types.get(path) ?? 'string'))) origin.set(path, 'flag --set');
    else unsafe(path, 'flag --set');
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    if (key.includes('.')) {
      if (setPath(merged, key, value)) origin.set(key, 'flag');
      else unsafe(key, 'flag');
    } else mergeInto(merged, { [key]: value }, origin, 'flag', '', unsafe);
  }

  const fromOf = (segments: string[]) => {
    // A list item (`arango.url.0`) came from wherever its list was set; an unknown
    // section from wherever its first key was.
    const exact = segments
      .map((_, i) => origin.get(segments.slice(0, segments.length - i).join('.')))
      .find(Boolean);
    if (exact) return exact;
    const prefix = `${segments.join('.')}.`;
    return [...origin].find(([path]) => path.startsWith(prefix))?.[1];
  };
  const withFrom = (message: string, segments: string[]) => {
    const from = fromOf(segments);
    return from ? `${message} (from ${from})` : message;
  };

  const unknown = unknownKeys(root, merged, []);
  // A file of thousands of stray keys is not a typo: name a few, count the rest.
  for (const segments of unknown.slice(0, MAX_UNKNOWN_LISTED)) {
    const suggestion = closestSetting(root, segments);
    const hint = suggestion ? `; did you mean ${suggestion}?` : '';
    issues.push({ path: segments.join('.'), message: withFrom(`unknown setting${hint}`, segments) });
  }
  if (unknown.length > MAX_UNKNOWN_LISTED) {
    issues.push({ path: '', message: `and ${unknown.length - MAX_UNKNOWN_LISTED} more unknown settings` });
  }
  const reported = new Set(unknown.map((segments) => segments.join('.')));
  const result = schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const segments = issue.path.map(String);
      if (
        issue.code === 'unrecognized_keys' &&
        issue.keys.every((key) => reported.has([...segments, key].join('.')))
      )
        continue;
      issues.push({ path: segments.join('.'), message: withFrom(issue.message, segments) });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return (result as { data: z.infer<S> }).data;
}

const MAX_UNKNOWN_LISTED = 20;

/**
 * Keys no setting has, as paths. Checked here, whatever the section's zod
 * object does with them: a typo (`basic_auth` for `basicAuth`) must never
 * silently drop a setting, least of all an auth section.
 */
function unknownKeys(node: JsonSchemaNode, value: unknown, path: string[]): string[][] {
  const props = node.properties;
  if (!props || !isPlainObject(value)) return [];
  // A record (`additionalProperties: {schema}`) takes any key.
  if (typeof node.additionalProperties === 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    Object.hasOwn(props, key) ? unknownKeys(props[key]!, child, [...path, key]) : [[...path, key]],
  );
}

/** The sibling setting within a small edit distance of an unknown key (ignoring case, `_` and `-`), as a path. */
function closestSetting(root: JsonSchemaNode, segments: string[]): string | undefined {
  const parent = segments.slice(0, -1);
  const siblings = parent.reduce<JsonSchemaNode | undefined>(
    (node, key) => node?.properties?.[key],
    root,
  )?.properties;
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const given = norm(segments.at(-1)!);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of Object.keys(siblings ?? {})) {
    const distance = editDistance(given, norm(candidate));
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(given.length / 3))
    ? [...parent, best.key].join('.')
    : undefined;
}

/** Optimal string alignment distance: Levenshtein plus swapped neighbours (`prot` for `port`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

function readConfigFile(file: string, issues: ConfigIssue[]): Json {
  let value: unknown;
  try {
    value = parseYaml(readInputFile(file, 'config file'), file).value;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    issues.push({ path: '', message: e.message });
    return {};
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({ path: '', message: `${file}: the config file must hold a mapping of settings` });
    return {};
  }
  return value;
}

/** Text from the environment or `--set`, converted by the setting's type; anything else stays text for zod to judge. */
function fromString(raw: string, type: string): unknown {
  if (type === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    return raw;
  }
  if (type === 'number' || type === 'integer') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (type.endsWith('[]')) {
    // `a, b` or the YAML-like `[a, b]`.
    const items = raw
      .replace(/^\s*\[(.*)\]\s*$/s, '$1')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return type.startsWith('number') || type.startsWith('integer') ? items.map(Number) : items;
  }
  return raw;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeInto(
  target: Json,
  source: Json,
  origin: Map<string, string>,
  from: string,
  prefix: string,
  refuse: (path: string, from: string) => void,
): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (UNSAFE_KEYS.has(key)) refuse(path, from);
    else if (isPlainObject(value)) {
      const existing = target[key];
      const child = isPlainObject(existing) ? existing : {};
      target[key] = child;
      mergeInto(child, value, origin, from, path, refuse);
    } else {
      target[key] = value;
      origin.set(path, from);
    }
  }
}

/** Sets a dotted path; false (and nothing set) when a segment would reach a prototype. */
function setPath(target: Json, path: string, value: unknown): boolean {
  const segs = path.split('.');
  if (segs.some((seg) => UNSAFE_KEYS.has(seg))) return false;
  let node = target;
  for (const seg of segs.slice(0, -1)) {
    const next = node[seg];
    if (!isPlainObject(next)) node[seg] = {};
    node = node[seg] as Json;
  }
  node[segs.at(-1)!] = value;
  return true;
}

/** Registers the value of every setting marked secret, so no log line or message can carry it. */
export function registerConfigSecrets(schema: z.ZodType, config: unknown): void {
  for (const setting of configReference(schema)) {
    if (!setting.secret) continue;
    const value = setting.path
      .split('.')
      .reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), config);
    if (typeof value === 'string') registerSecret(value);
  }
}
