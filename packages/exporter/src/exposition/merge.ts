import { closingQuote, sameBytes } from './bytes.js';
import type { SplitBody, SplitFamily } from './split.js';
import type { ByteFamily } from './types.js';

export interface MergeOptions {
  /** Most label sets per family (a histogram's buckets count once: `le`/`quantile` are ignored). */
  limit?: number;
}

export interface MergeResult {
  families: ByteFamily[];
  /**
   * Samples left out per family: the family's type disagreed with the first server's, the
   * series repeated, or the family reached the limit.
   */
  dropped: Map<string, number>;
  /** What was taken from which body: a merge of bodies with the same families takes the same lines. */
  plan: MergePlan;
}

/** Which lines of which bodies a merge takes, decided once for bodies that share their families (see splitExposition). */
export interface MergePlan {
  /** The `families` of the merged bodies, in order. */
  inputs: readonly SplitFamily[][];
  limit: number;
  families: FamilyPlan[];
  dropped: Map<string, number>;
}

interface FamilyPlan {
  name: string;
  headers: ByteFamily['headers'];
  help: string;
  type: ByteFamily['type'];
  lineCount: number;
  /** Runs of lines taken, three numbers a run: the body's index, its first line and its end line. */
  runs: number[];
}

/**
 * The label text of a series (`name{labels}`, bytes `start` to `end`) without its
 * `le`/`quantile` pair: the label set a histogram bucket or summary quantile belongs to.
 */
export function labelSetOf(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open = text.indexOf(123, start);
  if (open < 0 || open >= end) return '';
  const close = end - 1;
  let i = open + 1;
  while (i < close) {
    while (text[i] === 32 || text[i] === 44) i++;
    const labelStart = i;
    const equals = text.indexOf(61, i);
    const quote = equals < 0 ? -1 : closingQuote(text, equals + 2, close);
    if (quote < 0) break;
    i = quote + 1;
    const name = text.toString('latin1', labelStart, equals);
    if (name === 'le' || name === 'quantile') {
      const before = text.toString('utf8', open + 1, labelStart).replace(/[\s,]+$/, '');
      const after = text.toString('utf8', i, close).replace(/^[\s,]+/, '');
      return before !== '' && after !== '' ? `${before},${after}` : before || after;
    }
  }
  return text.toString('utf8', open + 1, close);
}

/**
 * Merges several servers' split bodies into one list with one entry per family name: the
 * first TYPE and first HELP seen win, and the lines of all servers follow each other. The
 * servers' injected labels (see splitExposition) keep otherwise identical series apart
 * (3.11's `rocksdb_*` families carry no labels at all); a series seen before is left out.
 * With `previous`, bodies that have the families the previous merge had (bodies read by
 * their templates) take its plan: only their bytes are new.
 */
export function mergeExpositions(
  bodies: readonly SplitBody[],
  options: MergeOptions = {},
  previous?: MergeResult,
): MergeResult {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const reusable =
    previous !== undefined &&
    previous.plan.limit === limit &&
    previous.plan.inputs.length === bodies.length &&
    bodies.every((body, b) => body.families === previous.plan.inputs[b]);
  const plan = reusable ? previous.plan : planMerge(bodies, limit);
  const families = plan.families.map(
    ({ name, help, type, lineCount, runs, headers }): ByteFamily => ({
      name,
      help,
      type,
      lineCount,
      sources: bodies,
      runs,
      headers,
    }),
  );
  return { families, dropped: plan.dropped, plan };
}

/**
 * Bodies with leads of their own are joined family by family; line by line work is left for
 * families that could repeat another server's series or pass the limit.
 */
function planMerge(bodies: readonly SplitBody[], limit: number): MergePlan {
  const byName = new Map<string, Array<[number, SplitFamily]>>();
  bodies.forEach((body, b) => {
    for (const family of body.families) {
      const parts = byName.get(family.name);
      if (parts) parts.push([b, family]);
      else byName.set(family.name, [[b, family]]);
    }
  });
  const leads = new Set(bodies.map((body) => body.lead));
  const distinctLeads = !leads.has(undefined) && leads.size === bodies.length;
  const dropped = new Map<string, number>();
  const drop = (name: string, count: number) => {
    if (count > 0) dropped.set(name, (dropped.get(name) ?? 0) + count);
  };

  const families: FamilyPlan[] = [];
  for (const [name, parts] of byName) {
    const [, first] = parts[0] as [number, SplitFamily];
    const kept = parts.filter(([, family]) => {
      drop(name, family.repeats);
      if (family.type === first.type) return true;
      drop(name, lineCount(family));
      return false;
    });
    const planned: FamilyPlan = {
      name,
      help: kept.find(([, family]) => family.help)?.[1].help ?? '',
      type: first.type,
      lineCount: 0,
      runs: [],
      headers: {},
    };
    families.push(planned);
    // A family has no more label sets than lines: within the limit in lines, no set can be one too many.
    const total = kept.reduce((sum, [, family]) => sum + lineCount(family), 0);
    if (total > limit || !distinctLeads || kept.some(([, family]) => !family.lead)) {
      planByLine(planned, bodies, kept, total > limit ? limit : undefined, drop);
      continue;
    }
    for (const [b, family] of kept) {
      for (let r = 0; r < family.lines.length; r += 2)
        planned.runs.push(b, family.lines[r] as number, family.lines[r + 1] as number);
    }
    planned.lineCount = total;
  }
  return { inputs: bodies.map((body) => body.families), limit, families, dropped };
}

const lineCount = (family: SplitFamily) => {
  let count = 0;
  for (let r = 0; r < family.lines.length; r += 2)
    count += (family.lines[r + 1] as number) - (family.lines[r] as number);
  return count;
};

const sameSeries = (one: SplitBody, lineA: number, other: SplitBody, lineB: number) =>
  sameBytes(
    one.bytes,
    one.lineStarts[lineA] as number,
    one.seriesEnds[lineA] as number,
    other.bytes,
    other.lineStarts[lineB] as number,
    other.seriesEnds[lineB] as number,
  );

/** Takes a family's parts line by line: leaving out series another server wrote, and label sets past `limit`. */
function planByLine(
  planned: FamilyPlan,
  bodies: readonly SplitBody[],
  parts: Array<[number, SplitFamily]>,
  limit: number | undefined,
  drop: (name: string, count: number) => void,
): void {
  // Kept lines by the hash of their series; hashes that meet are told apart byte for byte.
  const seen = new Map<number, Array<[SplitBody, number]>>();
  const labelSets = limit === undefined ? undefined : new Set<string>();
  for (const [b, family] of parts) {
    const body = bodies[b] as SplitBody;
    // Each body's own lines are distinct already: only other bodies' lines can repeat them.
    const own = new Map<number, Array<[SplitBody, number]>>();
    for (let r = 0; r < family.lines.length; r += 2) {
      const end = family.lines[r + 1] as number;
      let runStart = family.lines[r] as number;
      for (let line = runStart; line < end; line++) {
        const hash = body.hashes[line] as number;
        let keep = !seen.get(hash)?.some(([other, at]) => sameSeries(other, at, body, line));
        if (keep && labelSets) {
          const labelSet = labelSetOf(body.bytes, body.lineStarts[line], body.seriesEnds[line]);
          keep = labelSets.has(labelSet) || labelSets.size < (limit as number);
          if (keep) labelSets.add(labelSet);
        }
        if (keep) {
          own.set(hash, [...(own.get(hash) ?? []), [body, line]]);
          planned.lineCount++;
          continue;
        }
        drop(planned.name, 1);
        if (line > runStart) planned.runs.push(b, runStart, line);
        runStart = line + 1;
      }
      if (end > runStart) planned.runs.push(b, runStart, end);
    }
    for (const [hash, lines] of own) seen.set(hash, [...(seen.get(hash) ?? []), ...lines]);
  }
}
