/**
 * values.yaml, values.schema.json and the chart README agree: every value is documented by a
 * comment that names it, the README's table is the one those comments generate, and the
 * schema is strict, self-contained and describes exactly the keys values.yaml has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderValuesTable, valuesDocs } from '../../charts/tools/values-docs.js';
import { CHART } from './chart.js';

const valuesText = readFileSync(join(CHART, 'values.yaml'), 'utf8');
const readme = readFileSync(join(CHART, 'README.md'), 'utf8');

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
}

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as JsonSchema;

/** The dotted paths of every key of an object tree. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keysOf(v, `${prefix}${k}.`)]);
}

/** The dotted paths the schema declares (following local $refs), and those that are open maps. */
function schemaKeysOf(
  node: JsonSchema,
  prefix = '',
  maps: string[] = [],
): { keys: string[]; maps: string[] } {
  const resolved = node.$ref ? (schema.definitions?.[node.$ref.replace('#/definitions/', '')] ?? node) : node;
  const keys: string[] = [];
  for (const [k, v] of Object.entries(resolved.properties ?? {})) {
    const path = `${prefix}${k}`;
    const child = v.$ref ? (schema.definitions?.[v.$ref.replace('#/definitions/', '')] ?? v) : v;
    if (typeof child.additionalProperties === 'object' || child.additionalProperties === true)
      maps.push(path);
    keys.push(path, ...schemaKeysOf(v, `${path}.`, maps).keys);
  }
  return { keys, maps };
}

describe('values.yaml and the chart README', () => {
  it('documents every value with a comment that names it', () => {
    expect(valuesDocs(valuesText).length).toBe(keysOf(parseYaml(valuesText)).length);
  });

  it('refuses a value without its comment, naming it', () => {
    expect(() => valuesDocs('# a documents the map.\na:\n  # a.b is fine.\n  b: 1\n  c: 2\n')).toThrow(
      'values.yaml: a.c needs a comment above it that begins with "a.c "',
    );
  });

  it('the README holds the table the comments generate (npm run chart:readme)', () => {
    expect(renderValuesTable(readme, valuesDocs(valuesText))).toBe(readme);
  });
});

describe('values.schema.json', () => {
  it('declares exactly the keys of values.yaml, and global for use as a subchart', () => {
    const { keys, maps } = schemaKeysOf(schema);
    const inOpenMap = (k: string) => maps.some((m) => k.startsWith(`${m}.`));
    expect(keys.filter((k) => k !== 'global').sort()).toEqual(
      keysOf(parseYaml(valuesText))
        .filter((k) => !inOpenMap(k))
        .sort(),
    );
    expect(schema.properties?.global).toMatchObject({ type: 'object', additionalProperties: true });
  });

  it('is strict: every object with properties forbids others, and no $ref leaves the file', () => {
    const loose: string[] = [];
    const refs: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as JsonSchema;
      if (n.properties && n.additionalProperties !== false && path !== 'global') loose.push(path || '(root)');
      if (n.$ref) refs.push(n.$ref);
      for (const [k, v] of Object.entries(node))
        walk(v, k === 'properties' || k === 'definitions' ? path : `${path}.${k}`);
    };
    walk(schema, '');
    expect(loose).toEqual([]);
    expect(refs.filter((r) => !r.startsWith('#/definitions/'))).toEqual([]);
  });
});
