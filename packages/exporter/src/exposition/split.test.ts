import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyBytes } from './__tests__/family-bytes.js';
import { isFloat } from './bytes.js';
import { labelSetOf, mergeExpositions } from './merge.js';
import { writeExposition } from './page-writer.js';
import { ExpositionParseError, parseExposition } from './parse.js';
import { type SplitBody, type SplitFamily, splitExposition } from './split.js';
import type { ByteFamily } from './types.js';

const inject = { server: 'PRMR-1', role: 'PRIMARY' };
const split = (text: string, labels: Record<string, string> = inject, previous?: SplitBody) =>
  splitExposition(Buffer.from(text), labels, previous);
/** A family's page lines, without their newlines. */
const pageLines = (body: SplitBody, family: SplitFamily) => {
  const lines: string[] = [];
  for (let r = 0; r < family.lines.length; r += 2) {
    for (let line = family.lines[r] as number; line < (family.lines[r + 1] as number); line++) {
      lines.push(
        body.bytes.toString('utf8', body.lineStarts[line], (body.lineStarts[line + 1] as number) - 1),
      );
    }
  }
  return lines;
};
const linesOf = (text: string, labels: Record<string, string> = inject) => {
  const body = split(text, labels);
  return body.families.map((f) => [f.name, f.type, pageLines(body, f)]);
};
const mergedLines = (family: ByteFamily | undefined) =>
  family ? familyBytes(family).toString().split('\n').slice(0, -1) : [];
const fixture = readFileSync(new URL('./fixtures/arangodb-3.12.10-single.prom', import.meta.url), 'utf8');
/** The fixture with every sample value replaced, some by longer and some by shorter ones. */
const revalued = (text: string, value: (n: number) => string) => {
  let n = 0;
  return text.replace(/^([^#\n][^\n]*) (\S+)$/gm, (_, series: string) => `${series} ${value(n++)}`);
};

describe('splitExposition', () => {
  it('injects only the labels a sample lacks, first, for samples with and without labels', () => {
    expect(
      linesOf(
        [
          '# HELP g A gauge',
          '# TYPE g gauge',
          'g{role="AGENT",a="1"} 1',
          'g{a="2"} 2',
          'g 3',
          'g{} 4',
          'g{server="X",role="Y"} 5',
          'g{ ,b="6"} 6',
        ].join('\n'),
      ),
    ).toEqual([
      [
        'g',
        'gauge',
        [
          'g{server="PRMR-1",role="AGENT",a="1"} 1',
          'g{server="PRMR-1",role="PRIMARY",a="2"} 2',
          // `g{}` is `g` again: a repeat.
          'g{server="PRMR-1",role="PRIMARY"} 3',
          'g{server="X",role="Y"} 5',
          'g{server="PRMR-1",role="PRIMARY",b="6"} 6',
        ],
      ],
    ]);
  });

  it('keeps escaped quotes, braces, commas, newlines and UTF-8 in label values, and escapes injected values', () => {
    const body = split('m{path="a\\"},{b",nl="x\\ny\\\\",role="R",u="μs"} 1\n', { server: 's"1\\' });
    expect(pageLines(body, body.families[0] as SplitFamily)).toEqual([
      'm{server="s\\"1\\\\",path="a\\"},{b",nl="x\\ny\\\\",role="R",u="μs"} 1',
    ]);
    const [parsed] = parseExposition(writeExposition(mergeExpositions([body]).families, 'text'));
    expect(parsed?.samples[0]?.labels).toEqual({
      server: 's"1\\',
      path: 'a"},{b',
      nl: 'x\ny\\',
      role: 'R',
      u: 'μs',
    });
  });

  it('keeps histogram and summary samples under their family, even out of order', () => {
    const body = split(
      [
        '# TYPE h histogram',
        '# TYPE s summary',
        'h_bucket{le="1"} 1',
        's{quantile="0.5"} 2',
        'h_bucket{le="+Inf"} 2',
        'h_sum 0.5',
        'h_count 2',
        's_sum 1',
        's_count 1',
        's_bucket 9',
      ].join('\n'),
      {},
    );
    expect(body.families.map((f) => [f.name, pageLines(body, f).length, f.lines.length / 2])).toEqual([
      // h's lines are written apart (s's first sample comes between): two runs.
      ['h', 4, 2],
      ['s', 3, 2],
      // A summary has no buckets: s_bucket is a family of its own.
      ['s_bucket', 1, 1],
    ]);
  });

  it('tells a family x_count from the count of a histogram x whichever comes first', () => {
    const text = '# TYPE x histogram\nx_count 1\n# TYPE x_count gauge\nx_count{a="2"} 2\nx_sum 3\n';
    expect(linesOf(text, {})).toEqual([
      ['x', 'histogram', ['x_count 1', 'x_sum 3']],
      ['x_count', 'gauge', ['x_count{a="2"} 2']],
    ]);
  });

  it('normalises the 3.10 no-space form, tabs, CRLF and timestamps, as the page needs', () => {
    expect(linesOf('# TYPE a counter\r\na_total{x="1"}7 1700000000000\r\n\r\n  a_total\t8\n', {})).toEqual([
      ['a', 'counter', []],
      ['a_total', 'untyped', ['a_total{x="1"} 7', 'a_total 8']],
    ]);
  });

  it('reads HELP with escapes, odd spacing through the regular expression, and the "guage" typo', () => {
    const [family, other] = split(
      '#  HELP x a\\nb\\\\c μs\n# TYPE x guage\n# TYPE y\tcounter\n# plain comment\n',
      {},
    ).families;
    expect(family).toMatchObject({ name: 'x', help: 'a\nb\\c μs', type: 'gauge' });
    expect(other).toMatchObject({ name: 'y', type: 'counter' });
  });

  it('takes an empty body as no families and rejects garbage naming the line', () => {
    expect(split('', inject).families).toEqual([]);
    expect(split('\n  \n', inject).families).toEqual([]);
    for (const [body, line, message] of [
      ['<html><body>502</body></html>', 1, /invalid metric name/],
      ['ok 1\n{"error":true}\n', 2, /invalid metric name/],
      ['ok 1\nhello world\n', 2, /expected a float/],
      ['m{a="x" 1\n', 1, /invalid label/],
      ['m{a="x\\"} 1\n', 1, /unterminated value/],
      ['m{a="x"}\n', 1, /expected a value/],
      ['# TYPE m constructor\n', 1, /unknown metric type/],
      ['# TYPE m\tgauges\n', 1, /unknown metric type "gauges"/],
    ] as const) {
      const error = (() => {
        try {
          split(body, inject);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ExpositionParseError);
      expect((error as ExpositionParseError).line).toBe(line);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('gives a lead only to families whose lines all got the whole injected text', () => {
    const body = split('a{role="X"} 1\na{role="X",b="2"} 2\nb 1\nb{role="Y"} 2\nc{server="S"} 1\n', inject);
    expect(body.lead).toBe('server="PRMR-1"');
    expect(body.families.map((f) => [f.name, f.lead])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });

  it('leaves out a series the server repeats, also when two series share a hash', () => {
    // `v36vu` and `vayea` give the same FNV-1a hash after `m` and the injected `server="S"`.
    const body = split('m{a="v36vu"} 1\nm{a="vayea"} 2\nm{a="vayea"} 3\nm{a="v36vu"} 4\n', { server: 'S' });
    expect(body.hashes[0]).toBe(body.hashes[1]);
    expect(pageLines(body, body.families[0] as SplitFamily)).toEqual([
      'm{server="S",a="v36vu"} 1',
      'm{server="S",a="vayea"} 2',
    ]);
    expect(body.families[0]?.repeats).toBe(2);
  });
});

describe('splitExposition with the previous body', () => {
  const first = split(fixture);

  it('reads a body that differs only in values by its template, as reading it in full would', () => {
    for (const value of [
      (n: number) => `${n * 1000.5}`,
      () => '7',
      (n: number) => (n % 3 ? 'NaN' : '-1.5e-7'),
    ]) {
      const text = revalued(fixture, value);
      const again = split(text, inject, first);
      expect(again.template).toBe(first.template);
      const full = split(text);
      expect(again.bytes.toString()).toBe(full.bytes.toString());
      expect([...again.lineStarts.subarray(0, again.families.length)]).toEqual([
        ...full.lineStarts.subarray(0, full.families.length),
      ]);
      expect(parseExposition(writeExposition(mergeExpositions([again]).families, 'text'))).toEqual(
        parseExposition(writeExposition(mergeExpositions([full]).families, 'text')),
      );
    }
  });

  it('reads a body in full once anything but a value differs, and that body is the next template', () => {
    for (const text of [
      fixture.replace('role="SINGLE"', 'role="SINGLE",extra="1"'),
      `${fixture}\nnew_series 1\n`,
      fixture.replace(/\n[^#\n][^\n]*\n/, '\n'),
      fixture.replace('# HELP arangodb_', '# HELP  arangodb_'),
    ]) {
      const next = split(text, inject, first);
      expect(next.template).not.toBe(first.template);
      expect(next.template?.source.toString()).toBe(text);
      expect(next.bytes.toString()).toBe(split(text).bytes.toString());
    }
  });

  it('reads a value that is not a float in full, naming its line', () => {
    const broken = revalued(fixture, (n) => (n === 10 ? '12abc' : '1'));
    expect(() => split(broken, inject, first)).toThrow(ExpositionParseError);
    const line = broken.split('\n').findIndex((l) => l.endsWith(' 12abc')) + 1;
    expect(() => split(broken, inject, first)).toThrow(`line ${line}:`);
  });

  it('offers no template for bodies with timestamps or repeated series: their stretches change too', () => {
    expect(split('a 1 1700000000000\n').template).toBeUndefined();
    expect(split('a 1\na 2\n').template).toBeUndefined();
    expect(split('a 1\nb 2\n').template).toBeDefined();
  });
});

describe('isFloat', () => {
  it('accepts what Prometheus parses and rejects the rest', () => {
    for (const value of ['0', '-1', '+1.5', '.5', '5.', '1e3', '1.5E-07', 'NaN', 'Inf', '+Inf', '-Inf']) {
      expect(isFloat(Buffer.from(value)), value).toBe(true);
    }
    for (const value of ['', '-', '.', 'e3', '1e', '1e+', 'abc', '1,5', '-NaN', 'Infinity', '0x10', '1_0']) {
      expect(isFloat(Buffer.from(value)), value).toBe(false);
    }
  });
});

describe('mergeExpositions', () => {
  it('merges families present on only some servers, first HELP/TYPE winning, lines in server order', () => {
    const { families } = mergeExpositions([
      split('# TYPE a gauge\na 1\n', { server: 'A' }),
      split('# HELP b B\n# TYPE b counter\nb 2\n# HELP a A later\n# TYPE a gauge\na 3\n', { server: 'B' }),
      split('', { server: 'C' }),
    ]);
    expect(families.map((f) => [f.name, f.help, f.type, mergedLines(f)])).toEqual([
      ['a', 'A later', 'gauge', ['a{server="A"} 1', 'a{server="B"} 3']],
      ['b', 'B', 'counter', ['b{server="B"} 2']],
    ]);
  });

  it('drops a server repeating its own series, and series two servers share when leads do not tell them apart', () => {
    const own = mergeExpositions([split('m{a="1"} 1\nm{a="2"} 2\nm{a="1"} 3\n', { server: 'A' })]);
    expect(mergedLines(own.families[0])).toEqual(['m{server="A",a="1"} 1', 'm{server="A",a="2"} 2']);
    expect(own.dropped).toEqual(new Map([['m', 1]]));
    // The first server carries server="B" itself: its line and the second server's injected one are one series.
    const shared = mergeExpositions([
      split('m{server="B"} 1\n', { server: 'A' }),
      split('m 2\n', { server: 'B' }),
    ]);
    expect(mergedLines(shared.families[0])).toEqual(['m{server="B"} 1']);
    expect(shared.dropped).toEqual(new Map([['m', 1]]));
    // Two servers with the same injected label cannot be told apart either.
    const same = mergeExpositions([
      split('m 1\nn 1\n', { server: 'A' }),
      split('m 2\nn 2\n', { server: 'A' }),
    ]);
    expect(same.dropped).toEqual(
      new Map([
        ['m', 1],
        ['n', 1],
      ]),
    );
    expect(mergedLines(same.families[1])).toEqual(['n{server="A"} 1']);
  });

  it('caps label sets per family once past the limit, counting histogram buckets as one set', () => {
    const histogram = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n';
    const result = mergeExpositions(
      ['a', 'b', 'c', 'd'].map((server) => split(histogram, { server })),
      { limit: 3 },
    );
    expect(result.families[0]?.lineCount).toBe(12);
    expect(mergedLines(result.families[0])).toHaveLength(12);
    expect(result.dropped).toEqual(new Map([['h', 4]]));
    const set = (series: string) => labelSetOf(Buffer.from(series));
    expect(set('h_bucket{server="a",le="1",x="y"}')).toBe('server="a",x="y"');
    expect(set('s{quantile="0.5"}')).toBe('');
    expect(set('s')).toBe('');
  });

  it('drops a family whose type disagrees with the first server, counting its samples', () => {
    const result = mergeExpositions([
      split('# TYPE m gauge\nm 1\n', { server: 'A' }),
      split('# TYPE m counter\nm 1\nm{x="1"} 2\n', { server: 'B' }),
    ]);
    expect(mergedLines(result.families[0])).toEqual(['m{server="A"} 1']);
    expect(result.dropped).toEqual(new Map([['m', 2]]));
  });

  it('takes the previous plan for bodies read by their templates, and plans anew otherwise', () => {
    const servers = ['A', 'B', 'C'];
    const firsts = servers.map((server) => split(fixture, { server, role: 'PRIMARY' }));
    const previous = mergeExpositions(firsts, { limit: 1000 });
    const text = revalued(fixture, (n) => `${n}.25`);
    const nexts = servers.map((server, i) => split(text, { server, role: 'PRIMARY' }, firsts[i]));
    const next = mergeExpositions(nexts, { limit: 1000 }, previous);
    expect(next.plan).toBe(previous.plan);
    const fresh = mergeExpositions(
      servers.map((server) => split(text, { server, role: 'PRIMARY' })),
      { limit: 1000 },
    );
    expect(writeExposition(next.families, 'text').toString()).toBe(
      writeExposition(fresh.families, 'text').toString(),
    );
    // A body read in full brings families of its own: the plan is made again.
    const changed = [
      nexts[0] as SplitBody,
      split(`${text}\nx 1\n`, { server: 'B', role: 'PRIMARY' }),
      nexts[2] as SplitBody,
    ];
    expect(mergeExpositions(changed, { limit: 1000 }, next).plan).not.toBe(previous.plan);
    expect(mergeExpositions(nexts, { limit: 10 }, next).plan).not.toBe(previous.plan);
  });
});
