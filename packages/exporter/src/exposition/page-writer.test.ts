import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyBytes } from './__tests__/family-bytes.js';
import { type MergeResult, mergeExpositions } from './merge.js';
import { type Page, PageWriter, writeExposition } from './page-writer.js';
import { type SplitBody, splitExposition } from './split.js';
import type { ByteFamily, ExpositionFormat, MetricFamily } from './types.js';
import { header, sampleLine } from './write.js';

const fixture = readFileSync(new URL('./fixtures/arangodb-3.12.10-single.prom', import.meta.url), 'utf8');

/** A page assembled from scratch, the way pages were built before buffers were reused: strings and chunks joined. */
function fromScratch(families: ReadonlyArray<MetricFamily | ByteFamily>, format: ExpositionFormat): Buffer {
  const parts: Uint8Array[] = [];
  for (const family of families) {
    parts.push(Buffer.from(header(family, format)));
    if ('runs' in family) parts.push(familyBytes(family));
    else for (const sample of family.samples) parts.push(Buffer.from(sampleLine(sample)));
  }
  if (format === 'openmetrics') parts.push(Buffer.from('# EOF\n'));
  return Buffer.concat(parts);
}

/** A deterministic pseudo-random sequence, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * Scrape `n` of a cluster whose members, series and values change: members join and leave,
 * a family appears only on some scrapes, values grow and shrink in length (NaN and ±Inf
 * included), label values need escaping or are not ASCII, and the merged server bodies change
 * values (read by their templates) or series (read in full).
 */
function scrapeFamilies(
  n: number,
  next: () => number,
  servers: { previous: Map<string, SplitBody>; merge?: MergeResult },
): Array<MetricFamily | ByteFamily> {
  const members = ['PRMR-1', 'PRMR-2', 'CRDN-1', 'AGNT-1'].filter((_, i) => (n + i) % 5 !== 0);
  if (n % 7 === 3) members.push(`PRMR-new-${n}`);
  // Now and then a page's own lines outgrow the buffer taken for it (a large cluster's members).
  const many = n % 10 === 9 ? Array.from({ length: 150 }, (_, i) => `PRMR-many-${i}`) : [];
  const values = [0, 1, -2.5, 1e21, 2.71e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const value = () =>
    next() < 0.3 ? (values[Math.floor(next() * values.length)] as number) : next() * 10 ** (n % 9);
  const families: Array<MetricFamily | ByteFamily> = [
    {
      name: 'arangops_up',
      help: 'Whether ArangoDB answered.',
      type: 'gauge',
      samples: [{ name: 'arangops_up', labels: {}, value: n % 4 === 0 ? 0 : 1 }],
    },
    {
      name: 'arangops_cluster_member_status',
      help: 'Health status of each member, "quoted" \\ and\nmultiline.',
      type: 'gauge',
      samples: [...members, ...many].flatMap((server) =>
        ['GOOD', 'BAD', 'FAILED'].map((status) => ({
          name: 'arangops_cluster_member_status',
          labels: { server, role: server.slice(0, 4), status },
          value: value(),
        })),
      ),
    },
    {
      name: 'arangops_exporter_dropped_label_sets_total',
      help: 'Label sets left out.',
      type: 'counter',
      samples: members.map((server) => ({
        name: 'arangops_exporter_dropped_label_sets_total',
        labels: { metric: `m "${server}" \\ μs\n` },
        value: n,
      })),
    },
  ];
  if (n % 3 !== 1) {
    families.push({
      name: 'codevaldcortex_agents',
      help: 'Agents by status and type.',
      type: 'gauge',
      samples: Array.from({ length: 1 + ((n * 13) % 40) }, (_, i) => ({
        name: 'codevaldcortex_agents',
        labels: { status: i % 2 ? 'running' : 'pending', type: `type-${i}` },
        value: value(),
      })),
    });
  }
  const bodies = members
    .filter((server) => server !== 'AGNT-1')
    .map((server) => {
      let i = 0;
      let text = fixture.replace(/^([^#\n][^\n]*) (\S+)$/gm, (_, series: string) =>
        i++ % 3 === n % 3 ? `${series} ${formatted(value())}` : `${series} ${i}`,
      );
      if (n % 6 === 5) text += `\n# TYPE extra_${n} gauge\nextra_${n}{x="y"} ${n}\n`;
      const labels = { server, role: 'PRIMARY' };
      const body = splitExposition(Buffer.from(text), labels, servers.previous.get(server));
      servers.previous.set(server, body);
      return body;
    });
  const merged = mergeExpositions(bodies, { limit: 1000 }, servers.merge);
  servers.merge = merged;
  return n % 8 === 2 ? families : [...families, ...merged.families];
}

/** How ArangoDB writes the values the test picks. */
const formatted = (value: number) =>
  Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : '-Inf';

describe('PageWriter', () => {
  it('writes each page byte for byte as a page assembled from scratch, scrape after scrape, in reused buffers', () => {
    const writer = new PageWriter();
    const next = random(14);
    const servers = { previous: new Map<string, SplitBody>() };
    const held: Array<{ page: Page; copy: Buffer; letGo: () => void; until: number }> = [];
    const buffers = new Set<ArrayBufferLike>();
    for (let n = 0; n < 40; n++) {
      const families = scrapeFamilies(n, next, servers);
      for (const format of ['text', 'openmetrics'] as const) {
        const page = writer.write(families, format);
        expect(page.bytes.equals(fromScratch(families, format))).toBe(true);
        expect(page.bytes.equals(writeExposition(families, format))).toBe(true);
        buffers.add(page.bytes.buffer);
        // Most pages are sent at once; some are held by a slow client over several scrapes.
        held.push({
          page,
          copy: Buffer.from(page.bytes),
          letGo: page.hold(),
          until: n + (next() < 0.2 ? 3 : 0),
        });
      }
      for (const entry of held.filter((h) => h.until <= n)) {
        // Nothing wrote into a page while it was held.
        expect(entry.page.bytes.equals(entry.copy)).toBe(true);
        entry.letGo();
        entry.letGo();
        held.splice(held.indexOf(entry), 1);
      }
    }
    // Pages came from a few buffers, not one per page.
    expect(buffers.size).toBeLessThan(20);
  });

  it('never hands out a buffer a page still holds, and reuses it once let go', () => {
    const writer = new PageWriter();
    const families: MetricFamily[] = [
      { name: 'g', help: 'A gauge.', type: 'gauge', samples: [{ name: 'g', labels: {}, value: 1 }] },
    ];
    const first = writer.write(families, 'text');
    const letGo = first.hold();
    const second = writer.write(families, 'text');
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer);
    second.hold()();
    // Let go by one holder of two: still held.
    const again = first.hold();
    letGo();
    expect(writer.write(families, 'text').bytes.buffer).not.toBe(first.bytes.buffer);
    again();
    const reused = writer.write([{ ...families[0], samples: [] } as MetricFamily], 'text');
    expect([first.bytes.buffer, second.bytes.buffer]).toContain(reused.bytes.buffer);
    expect(reused.bytes.toString()).toBe('# HELP g A gauge.\n# TYPE g gauge\n');
  });
});
