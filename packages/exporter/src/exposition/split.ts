import {
  ascii,
  CLOSE_BRACE,
  COMMA,
  CR,
  closingQuote,
  EQUALS,
  HASH,
  isDigit,
  isFloat,
  isNameChar,
  LF,
  OPEN_BRACE,
  QUOTE,
  SPACE,
  sameBytes,
  startsWith,
  TAB,
} from './bytes.js';
import { type Building, Families, helpOf, MIXED, NO_LINES, nameEndIn } from './families.js';
import { ExpositionParseError } from './parse.js';
import { resplit } from './resplit.js';
import type { Labels, MetricType } from './types.js';
import { formatLabels } from './write.js';

/** One family of one server's body. */
export interface SplitFamily {
  name: string;
  help: string;
  type: MetricType;
  /**
   * Its sample lines, as pairs of first and end line (see SplitBody): one pair unless the
   * server wrote the family's samples apart.
   */
  lines: number[];
  /** Samples left out: they repeated a series the server had written before. */
  repeats: number;
  /** Every line got the body's whole injected text, which begins with `SplitBody.lead`. */
  lead: boolean;
}

/** One server's body, split into families, its sample lines relabelled as they go on the page. */
export interface SplitBody {
  /** The sample lines as they go on the page, each ending with a newline, in the order the server wrote them. */
  bytes: Buffer;
  /** Line i is `bytes` from `lineStarts[i]` up to `lineStarts[i + 1]`. */
  lineStarts: Int32Array;
  /** Where line i's series (`name{labels}`) ends: at the space before its value. */
  seriesEnds: Int32Array;
  /** A hash of line i's series. */
  hashes: Int32Array;
  families: SplitFamily[];
  /**
   * The first injected label as written (`server="…"`): lines of two bodies whose families
   * have `lead` and whose leads differ cannot be the same series.
   */
  lead: string | undefined;
  /**
   * The body read in full that this one repeats, but for its values; a later body of the
   * same server is compared with it (see splitExposition). Undefined when the server
   * repeated a series or wrote timestamps: then every body is read in full.
   */
  template: Template | undefined;
}

/** A body read in full, as the pattern of the next bodies of the same server. */
export interface Template {
  /** The body as the server sent it. */
  source: Buffer;
  /** Per page line of `body`, where its value is in `source`: start and end. */
  values: Int32Array;
  body: SplitBody;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Room for line tables, grown by doubling. */
function grow(table: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= table.length) return table;
  const grown = new Int32Array(Math.max(needed, table.length * 2));
  grown.set(table);
  return grown;
}

/** Bit `i` set when the label named by bytes[start, end) is the i-th of `names`. */
function injectedBit(bytes: Uint8Array, start: number, end: number, names: readonly Uint8Array[]): number {
  for (let bit = 0; bit < names.length; bit++) {
    const name = names[bit] as Uint8Array;
    if (name.length === end - start && startsWith(bytes, start, name)) return 1 << bit;
  }
  return 0;
}

/**
 * Splits one server's body (text format 0.0.4) into families and writes its sample lines as
 * they go on the page: the `inject` labels a sample does not carry come first, the value
 * follows one space, a timestamp is dropped, a series the server repeats is left out. The
 * body stays bytes (its HELP texts say "μs", and decoding would only cost).
 *
 * With `previous` (the same server's last body, split with the same `inject`), a body that
 * differs from its template only in values (what a server writes scrape after scrape) is
 * compared with it and takes its lines around the new values; anything else is read in
 * full. Throws ExpositionParseError, naming the line, for text that is not the format (an
 * HTML or JSON error page, a cut-off line, a value that is not a float).
 */
export function splitExposition(body: Uint8Array, inject: Labels = {}, previous?: SplitBody): SplitBody {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return (previous?.template && resplit(bytes, previous.template)) || readInFull(bytes, inject);
}

/**
 * Reads the whole body, in one pass: a sample line is walked, quote- and escape-aware, only
 * to learn which injected names it has and where its parts are, then copied around the
 * injected text.
 */
function readInFull(bytes: Buffer, inject: Labels): SplitBody {
  const length = bytes.length;
  const injectNames = Object.keys(inject);
  const injectNameBytes = injectNames.map(ascii);
  // The injected text by which injected names a sample already carries (a bit per name), rendered once each.
  const prefixes = Array.from({ length: 1 << injectNames.length }, (_, mask) => {
    const missing = injectNames.filter((_, bit) => (mask & (1 << bit)) === 0);
    // formatLabels writes `{…}`; the injected text goes inside a sample's own braces.
    return Buffer.from(
      formatLabels(Object.fromEntries(missing.map((name) => [name, inject[name] as string]))).slice(1, -1),
    );
  });
  const families = new Families();
  // Everything the loop below changes is a local variable of this function: V8 keeps those in registers.
  // Lines grow only by the injected text: one and a half times the body fits all but tiny lines.
  let out = Buffer.allocUnsafe(length + (length >> 1) + 64);
  let o = 0;
  let lineCount = 0;
  let lineStarts = new Int32Array(1024);
  let seriesEnds = new Int32Array(1024);
  let hashes = new Int32Array(1024);
  let values = new Int32Array(2048);
  // A body with repeated series or timestamps has more than its values change from scrape to scrape.
  let reusable = true;
  // Series written so far, by hash: the line that has it (a repeat is confirmed byte for byte).
  const written = new Map<number, number>();
  let collided: Map<number, number[]> | undefined;

  // Samples follow their TYPE line: the family of the previous line is tried first.
  let current: Building | undefined;
  let lineNumber = 0;
  let next = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (next < length) {
    lineNumber++;
    let start = next;
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = length;
    next = end + 1;
    if (end > start && bytes[end - 1] === CR) end--;
    let c = bytes[start];
    while ((c === SPACE || c === TAB) && start < end) c = bytes[++start];
    if (start === end) continue;
    try {
      if (c === HASH) {
        current = families.comment(bytes, start, end, current) ?? current;
        continue;
      }
      let nameEnd = current === undefined || families.ambiguous ? -1 : nameEndIn(bytes, start, current);
      if (nameEnd < 0) {
        nameEnd = start;
        while (isNameChar(bytes[nameEnd])) nameEnd++;
        if (nameEnd === start || isDigit(c)) throw new Error('invalid metric name');
        current = families.of(bytes.toString('latin1', start, nameEnd), start);
      }
      const family = current as Building;

      // The labels are walked to learn where they end and which injected names they carry.
      let i = nameEnd;
      let mask = 0;
      // After `{` and any spaces and commas; `labelsEnd` is the index of `}`.
      let labelsStart = -1;
      let labelsEnd = -1;
      if (bytes[i] === OPEN_BRACE) {
        i++;
        for (;;) {
          c = bytes[i];
          while (c === SPACE || c === COMMA) c = bytes[++i];
          if (labelsStart < 0) labelsStart = i;
          if (c === CLOSE_BRACE && i < end) break;
          const labelStart = i;
          while (isNameChar(c)) c = bytes[++i];
          if (i === labelStart || c !== EQUALS || bytes[i + 1] !== QUOTE || i + 1 >= end) {
            throw new Error(`invalid label at column ${labelStart - start + 1}`);
          }
          if (injectNames.length > 0) mask |= injectedBit(bytes, labelStart, i, injectNameBytes);
          const close = closingQuote(bytes, i + 2, end);
          if (close < 0)
            throw new Error(`unterminated value of label ${bytes.toString('latin1', labelStart, i)}`);
          i = close + 1;
        }
        labelsEnd = i++;
      }
      // 3.10.0–3.10.5 wrote no space between the labels and the value; a timestamp may follow it.
      c = bytes[i];
      while ((c === SPACE || c === TAB) && i < end) c = bytes[++i];
      const valueStart = i;
      while (i < end && c !== SPACE && c !== TAB) c = bytes[++i];
      if (i === valueStart) throw new Error('expected a value');
      if (!isFloat(bytes, valueStart, i)) {
        throw new Error(`expected a float, got "${bytes.toString('utf8', valueStart, i)}"`);
      }
      if (i < end) reusable = false;

      // The page line: name, `{` injected text `,` labels `}`, one space, value; the series hashed on the way.
      const prefix = prefixes[mask] as Buffer;
      const hasLabels = labelsEnd > labelsStart;
      if (o + (end - start) + prefix.length + 4 > out.length) {
        const grown = Buffer.allocUnsafe(out.length * 2 + (end - start) + prefix.length);
        out.copy(grown, 0, 0, o);
        out = grown;
      }
      const lineStart = o;
      let hash = FNV_OFFSET;
      for (let b = start; b < nameEnd; b++) {
        const byte = bytes[b] as number;
        out[o++] = byte;
        hash = Math.imul(hash ^ byte, FNV_PRIME);
      }
      if (hasLabels || prefix.length > 0) {
        out[o++] = OPEN_BRACE;
        for (let b = 0; b < prefix.length; b++) {
          const byte = prefix[b] as number;
          out[o++] = byte;
          hash = Math.imul(hash ^ byte, FNV_PRIME);
        }
        if (hasLabels && prefix.length > 0) out[o++] = COMMA;
        for (let b = labelsStart; b < labelsEnd; b++) {
          const byte = bytes[b] as number;
          out[o++] = byte;
          hash = Math.imul(hash ^ byte, FNV_PRIME);
        }
        out[o++] = CLOSE_BRACE;
      }
      const seriesEnd = o;
      out[o++] = SPACE;
      for (let b = valueStart; b < i; b++) out[o++] = bytes[b] as number;
      out[o++] = LF;

      const earlier = written.get(hash);
      if (earlier === undefined) written.set(hash, lineCount);
      else if (
        sameBytes(
          out,
          lineStarts[earlier] as number,
          seriesEnds[earlier] as number,
          out,
          lineStart,
          seriesEnd,
        ) ||
        collided
          ?.get(hash)
          ?.some((line) =>
            sameBytes(out, lineStarts[line] as number, seriesEnds[line] as number, out, lineStart, seriesEnd),
          )
      ) {
        o = lineStart;
        family.repeats++;
        reusable = false;
        continue;
      } else {
        collided ??= new Map();
        collided.set(hash, [...(collided.get(hash) ?? []), lineCount]);
      }

      if (lineCount + 2 > lineStarts.length) {
        lineStarts = grow(lineStarts, lineCount + 2);
        seriesEnds = grow(seriesEnds, lineCount + 2);
        hashes = grow(hashes, lineCount + 2);
        values = grow(values, 2 * lineCount + 4);
      }
      values[2 * lineCount] = valueStart;
      values[2 * lineCount + 1] = i;
      lineStarts[lineCount] = lineStart;
      seriesEnds[lineCount] = seriesEnd;
      hashes[lineCount] = hash;
      // A line right after the family's last one extends its run.
      const { lines } = family;
      if (lines.length > 0 && lines[lines.length - 1] === lineCount) lines[lines.length - 1] = lineCount + 1;
      else lines.push(lineCount, lineCount + 1);
      lineCount++;
      if (family.mask !== mask) family.mask = family.mask === NO_LINES ? mask : MIXED;
    } catch (error) {
      throw new ExpositionParseError((error as Error).message, lineNumber);
    }
  }
  lineStarts = grow(lineStarts, lineCount + 1);
  lineStarts[lineCount] = o;
  const split: SplitBody = {
    bytes: out.subarray(0, o),
    lineStarts,
    seriesEnds,
    hashes,
    families: [...families.byName.values()].map((family) => ({
      name: family.name,
      help: helpOf(bytes, family),
      type: family.type,
      lines: family.lines,
      repeats: family.repeats,
      // Bit 0 clear on every line: the first injected name was absent, so the injected text begins with it.
      lead: injectNames.length > 0 && family.mask >= 0 && (family.mask & 1) === 0,
    })),
    lead:
      injectNames.length === 0 ? undefined : (prefixes[(1 << injectNames.length) - 2] as Buffer).toString(),
    template: undefined,
  };
  if (reusable) split.template = { source: bytes, values: values.subarray(0, 2 * lineCount), body: split };
  return split;
}
