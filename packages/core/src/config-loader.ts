/**
 * Loads configuration from a YAML file, the environment and flags (in rising
 * precedence), validates it once with zod and reports every problem at once,
 * each with its path and where the value came from.
 *
 * Environment variable names are derived from the schema, so there is no list
 * to keep in step: `exporter.collectors.aql.timeoutMs` is
 * `ARANGOPS_EXPORTER_COLLECTORS_AQL_TIMEOUT_MS`.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { STANDARD_ENV } from './config.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { registerSecret } from './secrets.js';

type Json = Record<string, unknown>;

export interface ConfigSources {
  /** Path of a YAML config file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags: nested objects or dotted keys (`{'arango.url': [...]}`). */
  flags?: Record<string, unknown>;
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
}

export function envName(path: string): string {
  return `ARANGOPS_${path
    .split('.')
    .map((seg) => seg.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase())
    .join('_')}`;
}

/** Every leaf setting of a schema, in declaration order. */
export function configReference(schema: z.ZodType): ConfigSetting[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
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
  const settings = configReference(schema);
  const origin = new Map<string, string>();
  const merged: Json = {};
  const issues: ConfigIssue[] = [];

  if (sources.file) {
    const fromFile = readConfigFile(sources.file, issues);
    mergeInto(merged, fromFile, origin, `file ${sources.file}`, '');
  }
  const env = sources.env ?? {};
  for (const setting of settings) {
    // Standard names first, so the ARANGOPS_* form of the same setting wins.
    for (const name of [...setting.aliases, setting.env]) {
      const raw = env[name];
      if (raw === undefined || raw === '') continue;
      setPath(merged, setting.path, fromEnvString(raw, setting.type));
      origin.set(setting.path, `env ${name}`);
    }
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    if (key.includes('.')) {
      setPath(merged, key, value);
      origin.set(key, 'flag');
    } else mergeInto(merged, { [key]: value }, origin, 'flag', '');
  }

  const result = schema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const segments = issue.path.map(String);
      const path = segments.join('.');
      // A list item (`arango.url.0`) came from wherever its list was set.
      const from = segments
        .map((_, i) => origin.get(segments.slice(0, segments.length - i).join('.')))
        .find(Boolean);
      issues.push({ path, message: from ? `${issue.message} (from ${from})` : issue.message });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return (result as { data: z.infer<S> }).data;
}

function readConfigFile(file: string, issues: ConfigIssue[]): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    issues.push({
      path: '',
      message: `cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    });
    return {};
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    issues.push({ path: '', message: `${file}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}` });
  }
  if (doc.errors.length > 0) return {};
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path: '', message: `${file}: the config file must hold a mapping of settings` });
    return {};
  }
  return value as Json;
}

function fromEnvString(raw: string, type: string): unknown {
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
    const items = raw
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
): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value)) {
      const existing = target[key];
      const child = isPlainObject(existing) ? existing : {};
      target[key] = child;
      mergeInto(child, value, origin, from, path);
    } else {
      target[key] = value;
      origin.set(path, from);
    }
  }
}

function setPath(target: Json, path: string, value: unknown): void {
  const segs = path.split('.');
  let node = target;
  for (const seg of segs.slice(0, -1)) {
    const next = node[seg];
    if (!isPlainObject(next)) node[seg] = {};
    node = node[seg] as Json;
  }
  node[segs.at(-1)!] = value;
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
