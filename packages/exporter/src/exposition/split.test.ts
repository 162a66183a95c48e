import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeLines } from './decode.js';
import { labelSetOf, mergeExpositions } from './merge.js';
import { ExpositionParseError, parseExposition } from './parse.js';
import { isFloat, splitExposition } from './split.js';
import { writeExposition } from './write.js';

const inject = { server: 'PRMR-1', role: 'PRIMARY' };
const linesOf = (text: string, labels: Record<string, string> = inject) =>
  splitExposition(text, labels).map((f) => [f.name, f.type, f.lines]);

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
        ].join('\n'),
      ),
    ).toEqual([
      [
        'g',
        'gauge',
        [
          'g{server="PRMR-1",role="AGENT",a="1"} 1',
          'g{server="PRMR-1",role="PRIMARY",a="2"} 2',
          'g{server="PRMR-1",role="PRIMARY"} 3',
          'g{server="PRMR-1",role="PRIMARY"} 4',
          'g{server="X",role="Y"} 5',
        ],
      ],
    ]);
  });

  it('keeps escaped quotes, braces, commas and newlines in label values, and escapes injected values', () => {
    const families = splitExposition('m{path="a\\"},{b",nl="x\\ny\\\\",role="R"} 1\n', { server: 's"1\\' });
    expect(families[0]?.lines).toEqual(['m{server="s\\"1\\\\",path="a\\"},{b",nl="x\\ny\\\\",role="R"} 1']);
    const [parsed] = parseExposition(writeExposition(mergeExpositions([families]).families, 'text'));
    expect(parsed?.samples[0]?.labels).toEqual({ server: 's"1\\', path: 'a"},{b', nl: 'x\ny\\', role: 'R' });
  });

  it('keeps histogram and summary samples under their family, even out of order', () => {
    const families = splitExposition(
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
    expect(families.map((f) => [f.name, f.lines.length])).toEqual([
      ['h', 4],
      ['s', 3],
      // A summary has no buckets: s_bucket is a family of its own.
      ['s_bucket', 1],
    ]);
  });

  it('normalises the 3.10 no-space form, tabs, CRLF and timestamps, as the page needs', () => {
    expect(linesOf('# TYPE a counter\r\na_total{x="1"}7 1700000000000\r\n\r\n  a_total\t8\n', {})).toEqual([
      ['a', 'counter', []],
      ['a_total', 'untyped', ['a_total{x="1"} 7', 'a_total 8']],
    ]);
  });

  it('reads HELP with escapes, odd spacing through the regular expression, and the "guage" typo', () => {
    const [family, other] = splitExposition(
      '#  HELP x a\\nb\\\\c\n# TYPE x guage\n# TYPE y\tcounter\n# plain comment\n',
      {},
    );
    expect(family).toMatchObject({ name: 'x', help: 'a\nb\\c', type: 'gauge' });
    expect(other).toMatchObject({ name: 'y', type: 'counter' });
  });

  it('takes an empty body as no families and rejects garbage naming the line', () => {
    expect(splitExposition('', inject)).toEqual([]);
    expect(splitExposition(['\n', '  \n'], inject)).toEqual([]);
    for (const [body, line, message] of [
      ['<html><body>502</body></html>', 1, /invalid metric name/],
      ['ok 1\n{"error":true}\n', 2, /invalid metric name/],
      ['ok 1\nhello world\n', 2, /expected a float/],
      ['m{a="x" 1\n', 1, /invalid label/],
      ['m{a="x\\"} 1\n', 1, /unterminated value/],
      ['m{a="x"}\n', 1, /expected a value/],
      ['# TYPE m constructor\n', 1, /unknown metric type/],
    ] as const) {
      const error = (() => {
        try {
          splitExposition(body, inject);
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

  it('gives a lead only to families whose lines all got the same injected text starting with it', () => {
    const families = splitExposition(
      'a{role="X"} 1\na{role="X",b="2"} 2\nb 1\nb{role="Y"} 2\nc{server="S"} 1\n',
      inject,
    );
    expect(families.map((f) => [f.name, f.lead])).toEqual([
      ['a', 'server="PRMR-1"'],
      ['b', undefined],
      ['c', undefined],
    ]);
    expect(families[0]?.keys).toEqual(['{role="X"', '{role="X",b="2"']);
  });

  it('reads a body in pieces as it reads it whole, line numbers included', () => {
    const body = readFileSync(new URL('./fixtures/arangodb-3.12.10-single.prom', import.meta.url));
    const pieces = decodeLines(body);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(0, -1).every((p) => p.endsWith('\n'))).toBe(true);
    expect(pieces.join('')).toBe(body.toString('utf8'));
    expect(splitExposition(pieces, inject)).toEqual(splitExposition(body.toString('utf8'), inject));
    expect(() => splitExposition(['a 1\n', 'b 2\n', 'c x\n'], inject)).toThrow(/line 3/);
  });
});

describe('decodeLines', () => {
  it('decodes UTF-8 exactly, drops a byte order mark, and keeps a last line without newline', () => {
    const text = `${'a 1\n'.repeat(2000)}# HELP μ_help time [μs]\nb{x="é"} 2`;
    const pieces = decodeLines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(pieces.join('')).toBe(text);
    expect(decodeLines(new Uint8Array())).toEqual([]);
  });
});

describe('isFloat', () => {
  it('accepts what Prometheus parses and rejects the rest', () => {
    for (const value of ['0', '-1', '+1.5', '.5', '5.', '1e3', '1.5E-07', 'NaN', 'Inf', '+Inf', '-Inf']) {
      expect(isFloat(value), value).toBe(true);
    }
    for (const value of ['', '-', '.', 'e3', '1e', '1e+', 'abc', '1,5', '-NaN', 'Infinity', '0x10', '1_0']) {
      expect(isFloat(value), value).toBe(false);
    }
  });
});

describe('mergeExpositions', () => {
  const split = (text: string, labels: Record<string, string>) => splitExposition(text, labels);

  it('merges families present on only some servers, first HELP/TYPE winning, lines in server order', () => {
    const { families } = mergeExpositions([
      split('# TYPE a gauge\na 1\n', { server: 'A' }),
      split('# HELP b B\n# TYPE b counter\nb 2\n# HELP a A later\n# TYPE a gauge\na 3\n', { server: 'B' }),
      [],
    ]);
    expect(families).toEqual([
      { name: 'a', help: 'A later', type: 'gauge', lines: ['a{server="A"} 1', 'a{server="B"} 3'] },
      { name: 'b', help: 'B', type: 'counter', lines: ['b{server="B"} 2'] },
    ]);
  });

  it('drops a server repeating its own series, and series two servers share when leads do not tell them apart', () => {
    const own = mergeExpositions([split('m{a="1"} 1\nm{a="2"} 2\nm{a="1"} 3\n', { server: 'A' })]);
    expect(own.families[0]?.lines).toEqual(['m{server="A",a="1"} 1', 'm{server="A",a="2"} 2']);
    expect(own.dropped).toEqual(new Map([['m', 1]]));
    // The first server carries server="B" itself: its line and the second server's injected one are one series.
    const shared = mergeExpositions([
      split('m{server="B"} 1\n', { server: 'A' }),
      split('m 2\n', { server: 'B' }),
    ]);
    expect(shared.families[0]?.lines).toEqual(['m{server="B"} 1']);
    expect(shared.dropped).toEqual(new Map([['m', 1]]));
    // Two servers with the same injected label cannot be told apart either.
    const same = mergeExpositions([split('m 1\n', { server: 'A' }), split('m 2\n', { server: 'A' })]);
    expect(same.dropped).toEqual(new Map([['m', 1]]));
  });

  it('caps label sets per family once past the limit, counting histogram buckets as one set', () => {
    const histogram = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n';
    const result = mergeExpositions(
      ['a', 'b', 'c', 'd'].map((server) => split(histogram, { server })),
      { limit: 3 },
    );
    expect(result.families[0]?.lines).toHaveLength(12);
    expect(result.dropped).toEqual(new Map([['h', 4]]));
    expect(labelSetOf('h_bucket{server="a",le="1",x="y"} 1')).toBe('server="a",x="y"');
    expect(labelSetOf('s{quantile="0.5"} 1')).toBe('');
    expect(labelSetOf('s 1')).toBe('');
  });

  it('drops a family whose type disagrees with the first server, counting its samples', () => {
    const result = mergeExpositions([
      split('# TYPE m gauge\nm 1\n', { server: 'A' }),
      split('# TYPE m counter\nm 1\nm{x="1"} 2\n', { server: 'B' }),
    ]);
    expect(result.families[0]?.lines).toEqual(['m{server="A"} 1']);
    expect(result.dropped).toEqual(new Map([['m', 2]]));
  });
});
