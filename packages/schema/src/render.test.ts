import { describe, expect, it } from 'vitest';
import { renderDriftReport } from './render.js';
import type { DriftReport } from './types.js';

const report: DriftReport = {
  profile: '/profiles/shop',
  server: { role: 'SINGLE', version: '3.12.10' },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.500Z',
  durationSeconds: 1.5,
  items: [
    {
      path: 'shop/collections/products',
      kind: 'collection',
      change: 'changed',
      class: 'mutable',
      declared: { waitForSync: true },
      live: { waitForSync: false },
      fields: ['waitForSync'],
      message: 'collection products differs in waitForSync',
    },
    {
      path: 'shop/collections/products/indexes/idx_a',
      kind: 'index',
      change: 'missing',
      class: 'additive',
      declared: { type: 'persistent' },
      message: 'index idx_a is missing <&>',
    },
  ],
  ignored: 1,
  deprecations: [{ path: 'shop/collections/products/indexes/idx_1', type: 'hash', message: 'legacy hash' }],
  samples: [],
  summary: { additive: 1, mutable: 1, recreate: 0, destructive: 0 },
  inSync: false,
  failOn: 'mutable',
};

describe('renderDriftReport', () => {
  it('text: one line per item with its details, deprecations and a verdict; no colour unless asked', () => {
    expect(renderDriftReport(report, 'text')).toBe(
      [
        'Schema drift: profile /profiles/shop vs ArangoDB 3.12.10 (single)',
        '  ~ changed    mutable     shop/collections/products',
        '      waitForSync: declared true, live false',
        '  + missing    additive    shop/collections/products/indexes/idx_a',
        '      index idx_a is missing <&>',
        'Deprecations:',
        '  ! shop/collections/products/indexes/idx_1: legacy hash',
        '2 item(s): additive 1, mutable 1, recreate 0, destructive 0; 1 ignored; drift found (fail-on mutable)',
        '',
      ].join('\n'),
    );
    expect(renderDriftReport(report, 'text', { color: true })).toContain('\u001b[33mmutable');
  });

  it('json: deterministic, keys sorted', () => {
    const json = renderDriftReport(report, 'json');
    expect(JSON.parse(json)).toEqual(report);
    expect(json.indexOf('"deprecations"')).toBeLessThan(json.indexOf('"items"'));
  });

  it('markdown: a table row per item', () => {
    const md = renderDriftReport(report, 'markdown');
    expect(md).toContain(
      '| changed | mutable | `shop/collections/products` | waitForSync: declared true, live false |',
    );
    expect(md).toContain('## Deprecations');
  });

  it('junit: items at or above fail-on fail, the rest pass; XML is escaped', () => {
    const xml = renderDriftReport(report, 'junit');
    expect(xml).toContain('<testsuites name="arangops drift" tests="2" failures="1" time="1.5">');
    expect(xml).toContain(
      '<testcase classname="schema.collection" name="shop/collections/products (changed)"><failure type="mutable"',
    );
    expect(xml).toContain('<system-out>index idx_a is missing &lt;&amp;&gt;</system-out>');
    const clean = renderDriftReport({ ...report, items: [], inSync: true }, 'junit');
    expect(clean).toContain('<testcase classname="schema" name="schema in sync"/>');
  });
});
