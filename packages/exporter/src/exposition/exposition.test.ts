import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyBytes } from './__tests__/family-bytes.js';
import { mergeExpositions } from './merge.js';
import { writeExposition } from './page-writer.js';
import { ExpositionParseError, parseExposition } from './parse.js';
import { splitExposition } from './split.js';
import type { ByteFamily } from './types.js';
import { negotiateFormat } from './write.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const mergedLines = (family: ByteFamily | undefined) =>
  family ? familyBytes(family).toString().split('\n').slice(0, -1) : [];

describe('parseExposition', () => {
  it('keeps histogram buckets, sum and count under their family', () => {
    const [family, ...rest] = parseExposition(
      [
        '# HELP h_seconds A histogram',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{role="PRIMARY",le="0.5"} 1',
        'h_seconds_bucket{role="PRIMARY",le="+Inf"} 2',
        'h_seconds_count{role="PRIMARY"} 2',
        'h_seconds_sum{role="PRIMARY"} 0.75',
      ].join('\n'),
    );
    expect(rest).toEqual([]);
    expect(family?.type).toBe('histogram');
    expect(family?.samples.map((s) => s.name)).toEqual([
      'h_seconds_bucket',
      'h_seconds_bucket',
      'h_seconds_count',
      'h_seconds_sum',
    ]);
    expect(family?.samples[1]?.labels).toEqual({ role: 'PRIMARY', le: '+Inf' });
    expect(parseExposition('x +Inf\ny -Inf')[1]?.samples[0]?.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('unescapes label values and HELP, and accepts the no-space 3.10.0 form and "guage"', () => {
    const families = parseExposition(
      [
        '# HELP g_info Line one\\nback\\\\slash',
        '# TYPE g_info guage',
        'g_info{path="C:\\\\x",quote="a\\"b",nl="1\\n2"}1',
        'untyped_thing 3 1700000000000',
      ].join('\n'),
    );
    expect(families[0]).toEqual({
      name: 'g_info',
      help: 'Line one\nback\\slash',
      type: 'gauge',
      samples: [{ name: 'g_info', labels: { path: 'C:\\x', quote: 'a"b', nl: '1\n2' }, value: 1 }],
    });
    expect(families[1]).toMatchObject({ name: 'untyped_thing', type: 'untyped', samples: [{ value: 3 }] });
  });

  it('reports the line of malformed input', () => {
    expect(() => parseExposition('ok 1\nbroken{a="x" 1\n')).toThrow(ExpositionParseError);
    expect(() => parseExposition('ok 1\nbroken{a="x" 1\n')).toThrow(/line 2/);
    expect(() => parseExposition('# TYPE x guava\n')).toThrow(/unknown metric type/);
    expect(() => parseExposition('x abc\n')).toThrow(/expected a float/);
  });

  it('round-trips a real ArangoDB 3.12 body sample for sample', () => {
    const body = fixture('arangodb-3.12.10-single.prom');
    const families = parseExposition(body);
    expect(families).toHaveLength(290);
    const again = parseExposition(writeExposition(families, 'text'));
    expect(again).toEqual(families);
  });
});

describe('writeExposition', () => {
  const families = parseExposition(
    [
      '# HELP c_total Count "quoted"',
      '# TYPE c_total counter',
      'c_total{a="x\\"y"} 1',
      '# HELP plain_counter No _total',
      '# TYPE plain_counter counter',
      'plain_counter 5',
      '# TYPE u untyped',
      'u NaN',
    ].join('\n'),
  );

  it('writes the text format with escaping', () => {
    expect(writeExposition(families, 'text').toString()).toBe(
      [
        '# HELP c_total Count "quoted"',
        '# TYPE c_total counter',
        'c_total{a="x\\"y"} 1',
        '# HELP plain_counter No _total',
        '# TYPE plain_counter counter',
        'plain_counter 5',
        '# HELP u u',
        '# TYPE u untyped',
        'u NaN',
        '',
      ].join('\n'),
    );
  });

  it('writes OpenMetrics: counter families without _total, unknown where a name cannot fit, # EOF', () => {
    expect(writeExposition(families, 'openmetrics').toString()).toBe(
      [
        '# HELP c Count \\"quoted\\"',
        '# TYPE c counter',
        'c_total{a="x\\"y"} 1',
        '# HELP plain_counter No _total',
        '# TYPE plain_counter unknown',
        'plain_counter 5',
        '# HELP u u',
        '# TYPE u unknown',
        'u NaN',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('negotiates OpenMetrics only when asked', () => {
    expect(negotiateFormat(undefined)).toBe('text');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5')).toBe(
      'openmetrics',
    );
  });
});

describe('mergeExpositions', () => {
  const merge = (bodies: Array<[string, Record<string, string>]>, limit?: number) =>
    mergeExpositions(
      bodies.map(([text, inject]) => splitExposition(Buffer.from(text), inject)),
      limit === undefined ? {} : { limit },
    );

  it('merges 3.11 bodies of several servers into one HELP/TYPE per family, injecting server labels', () => {
    const body = fixture('arangodb-3.11.14-single.prom');
    const { families, dropped } = merge(
      ['DBServer0001', 'DBServer0002', 'DBServer0003'].map((server) => [body, { server, role: 'PRIMARY' }]),
    );
    expect(dropped.size).toBe(0);
    expect(families).toHaveLength(parseExposition(body).length);
    const text = writeExposition(families, 'text').toString();
    expect(text.match(/^# HELP rocksdb_free_disk_space /gm)).toHaveLength(1);
    // 3.11 rocksdb_* samples are label-less: the injected labels are what keeps them apart.
    expect(text).toContain('rocksdb_free_disk_space{server="DBServer0002",role="PRIMARY"} 140955594752');
    // Labels the server already sets are not overridden.
    expect(text).toContain('arangodb_agency_callback_number{server="DBServer0003",role="SINGLE"} 0');
    // The merged page reads back as the same samples, relabelled (values untouched).
    const reread = parseExposition(text);
    const single = parseExposition(body);
    expect(reread.map((f) => [f.name, f.type, f.samples.length])).toEqual(
      single.map((f) => [f.name, f.type, f.samples.length * 3]),
    );
  });

  it('keeps escaped quotes, braces and commas inside label values intact', () => {
    const { families } = merge([
      ['# TYPE m gauge\nm{path="a\\"},{b",role="X"} 1 1700000000\n', { server: 's"1' }],
    ]);
    const text = writeExposition(families, 'text').toString();
    expect(text).toContain('m{server="s\\"1",path="a\\"},{b",role="X"} 1\n');
    expect(parseExposition(text)[0]?.samples[0]?.labels).toEqual({
      server: 's"1',
      path: 'a"},{b',
      role: 'X',
    });
  });

  it('drops repeated series and families whose type disagrees', () => {
    const a = '# TYPE m gauge\nm{x="1"} 1\n';
    const b = '# TYPE m counter\nm{x="2"} 2\n';
    const result = merge([
      [a, {}],
      [a, {}],
      [b, {}],
    ]);
    expect(result.dropped).toEqual(new Map([['m', 2]]));
    expect(mergedLines(result.families[0])).toEqual(['m{x="1"} 1']);
  });

  it('caps label sets per family, keeping each kept histogram series whole', () => {
    const histogram = [
      '# TYPE h histogram',
      'h_bucket{a="1",le="1"} 1',
      'h_bucket{a="1",le="+Inf"} 1',
      'h_count{a="1"} 1',
      'h_sum{a="1"} 0.5',
    ].join('\n');
    const result = merge(
      ['a', 'b', 'c'].map((server) => [histogram, { server }]),
      2,
    );
    expect(mergedLines(result.families[0])).toHaveLength(8);
    expect(mergedLines(result.families[0]).every((line) => !line.includes('server="c"'))).toBe(true);
    expect(result.dropped.get('h')).toBe(4);
  });

  it('rejects a body that is not the text format, naming the line', () => {
    expect(() => splitExposition(Buffer.from('ok 1\n{"error":true}\n'))).toThrow(/line 2/);
  });
});
