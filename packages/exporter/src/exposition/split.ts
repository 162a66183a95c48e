import { ExpositionParseError, SUFFIXES, TYPES, unescapeHelp } from './parse.js';
import type { Labels, MetricType } from './types.js';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

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

// A table rather than comparisons: this runs for every byte of every name.
const NAME_CHARS = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:')
  NAME_CHARS[c.charCodeAt(0)] = 1;
const isNameChar = (c: number | undefined) => NAME_CHARS[c as number] === 1;
const isDigit = (c: number | undefined) => (c as number) >= 48 && (c as number) <= 57;
const COMMENT = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s(.*))?$/;

/**
 * Index of the quote that closes a label value starting at `from`, before `end`, or -1: a quote
 * after an odd run of backslashes is part of the value.
 */
export function closingQuote(bytes: Uint8Array, from: number, end = bytes.length): number {
  for (let i = from; i < end; i++) {
    if (bytes[i] !== QUOTE) continue;
    let backslashes = 0;
    while (bytes[i - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}

function digitsEnd(bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(bytes[i])) i++;
  return i;
}

const isWord = (bytes: Uint8Array, from: number, word: string) =>
  bytes[from] === word.charCodeAt(0) &&
  bytes[from + 1] === word.charCodeAt(1) &&
  bytes[from + 2] === word.charCodeAt(2);

/** `true` for a Prometheus float: decimal or exponent notation, `NaN`, `Inf`/`+Inf`/`-Inf`. */
export function isFloat(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  const c = bytes[start];
  const signed = c === 43 || c === 45;
  const from = signed ? start + 1 : start;
  if (end - from === 3 && (isWord(bytes, from, 'Inf') || (!signed && isWord(bytes, from, 'NaN'))))
    return true;
  let i = digitsEnd(bytes, from, end);
  let digits = i - from;
  if (i < end && bytes[i] === 46) {
    const fraction = i + 1;
    i = digitsEnd(bytes, fraction, end);
    digits += i - fraction;
  }
  if (digits === 0) return false;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    const sign = bytes[i + 1];
    const exponent = sign === 43 || sign === 45 ? i + 2 : i + 1;
    i = digitsEnd(bytes, exponent, end);
    if (i === exponent) return false;
  }
  return i === end;
}

const escapeValue = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
/** `Building.mask` before the first line, and once lines differ. */
const NO_LINES = -1;
const MIXED = -2;

const HISTOGRAM_SUFFIXES = SUFFIXES.histogram;
const SUMMARY_SUFFIXES = SUFFIXES.summary;
// A map, not the object: `constructor` is no metric type.
const TYPE_NAMES = new Map(Object.entries(TYPES));
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * A family while its body is read: `mask` is the injected names its lines carry (a bit per
 * name); `nameAt` is where the body first writes its name, for comparing bytes with bytes.
 */
interface Building extends Omit<SplitFamily, 'lead' | 'help'> {
  mask: number;
  nameAt: number;
  /** Where its HELP text is in the body, -1 without one. */
  helpStart: number;
  helpEnd: number;
}

/** Room for line tables, grown by doubling. */
function grow(table: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= table.length) return table;
  const grown = new Int32Array(Math.max(needed, table.length * 2));
  grown.set(table);
  return grown;
}

// Patterns are bytes too: comparing bytes with bytes keeps the hot loops on one kind of array.
const ascii = (text: string) => Buffer.from(text, 'latin1');
const HELP_LINE = ascii('# HELP ');
const TYPE_LINE = ascii('# TYPE ');
const HISTOGRAM_SUFFIX_BYTES = HISTOGRAM_SUFFIXES.map(ascii);
const SUMMARY_SUFFIX_BYTES = SUMMARY_SUFFIXES.map(ascii);
const TYPE_NAME_BYTES = [...TYPE_NAMES].map(([name, type]) => [ascii(name), type] as const);

const startsWith = (bytes: Uint8Array, at: number, pattern: Uint8Array): boolean => {
  for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false;
  return true;
};

/** `true` when the body writes `family`'s name at `start`. */
function namedAt(bytes: Uint8Array, start: number, { name, nameAt }: Building): boolean {
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== bytes[nameAt + i]) return false;
  return true;
}

/** Where the sample name starting at `start` ends if the sample is one of `family`'s, else -1. */
function nameEndIn(bytes: Uint8Array, start: number, family: Building): number {
  const { name, type } = family;
  if (!namedAt(bytes, start, family)) return -1;
  let at = start + name.length;
  if (bytes[at] === UNDERSCORE && (type === 'histogram' || type === 'summary')) {
    const suffix = (type === 'histogram' ? HISTOGRAM_SUFFIX_BYTES : SUMMARY_SUFFIX_BYTES).find((s) =>
      startsWith(bytes, at, s),
    );
    if (suffix === undefined) return -1;
    at += suffix.length;
  }
  return isNameChar(bytes[at]) ? -1 : at;
}

/** Bit `i` set when the label named by bytes[start, end) is the i-th of `names`. */
function injectedBit(bytes: Uint8Array, start: number, end: number, names: readonly Uint8Array[]): number {
  for (let bit = 0; bit < names.length; bit++) {
    const name = names[bit] as Uint8Array;
    if (name.length === end - start && startsWith(bytes, start, name)) return 1 << bit;
  }
  return 0;
}

/** The families of one body as its HELP, TYPE and sample lines name them. */
class Families {
  readonly byName = new Map<string, Building>();
  /**
   * Once a family `x` and a family `x_count` (or `_sum`, `_bucket`) both exist, which one a
   * sample belongs to depends on their types: such bodies take the full lookup for every sample.
   */
  ambiguous = false;
  /** `x` for every family named `x_count`, `x_sum` or `x_bucket`. */
  readonly #suffixed = new Set<string>();

  /** The family named `name`, written at `nameAt` in the body. */
  get(name: string, nameAt: number): Building {
    let found = this.byName.get(name);
    if (!found) {
      const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
      const base = suffix === undefined ? undefined : name.slice(0, -suffix.length);
      if (base !== undefined) this.#suffixed.add(base);
      this.ambiguous ||= this.#suffixed.has(name) || (base !== undefined && this.byName.has(base));
      found = {
        name,
        nameAt,
        helpStart: -1,
        helpEnd: -1,
        type: 'untyped',
        lines: [],
        repeats: 0,
        mask: NO_LINES,
      };
      this.byName.set(name, found);
    }
    return found;
  }

  /** The family of a sample written at `at`: histogram and summary samples belong to the family they are a part of. */
  of(sampleName: string, at: number): Building {
    const direct = this.byName.get(sampleName);
    if (direct && direct.type !== 'histogram' && direct.type !== 'summary') return direct;
    for (const suffix of HISTOGRAM_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = this.byName.get(sampleName.slice(0, -suffix.length));
      if (base?.type === 'histogram' || (base?.type === 'summary' && suffix !== '_bucket')) return base;
    }
    return direct ?? this.get(sampleName, at);
  }

  /** Applies the comment line bytes[start, end); returns its family, or undefined for a comment other than HELP or TYPE. */
  comment(bytes: Buffer, start: number, end: number, previous: Building | undefined): Building | undefined {
    // `# HELP name text` and `# TYPE name type`, as ArangoDB writes them, are read without the regular expression.
    const help = startsWith(bytes, start, HELP_LINE);
    if (help || startsWith(bytes, start, TYPE_LINE)) {
      const nameStart = start + 7;
      let nameEnd = nameStart;
      while (isNameChar(bytes[nameEnd]) && nameEnd < end) nameEnd++;
      if (
        nameEnd > nameStart &&
        !isDigit(bytes[nameStart]) &&
        (nameEnd === end || bytes[nameEnd] === SPACE)
      ) {
        // TYPE follows HELP of the same family: compared rather than looked up.
        const family =
          previous !== undefined &&
          previous.name.length === nameEnd - nameStart &&
          namedAt(bytes, nameStart, previous)
            ? previous
            : this.get(bytes.toString('latin1', nameStart, nameEnd), nameStart);
        const restStart = Math.min(nameEnd + 1, end);
        if (help) setHelp(family, restStart, end);
        else setType(family, typeIn(bytes, restStart, end));
        return family;
      }
    }
    // Byte for character, so that the match tells where the HELP text is in the body.
    const match = COMMENT.exec(bytes.toString('latin1', start, end));
    if (!match) return undefined;
    const name = match[2] as string;
    const rest = match[3] ?? '';
    const nameEnd = match[3] === undefined ? end : end - rest.length - 1;
    const family = this.get(name, nameEnd - name.length);
    if (match[1] === 'HELP') setHelp(family, end - rest.length, end);
    else setType(family, TYPE_NAMES.get(rest.trim()) ?? rest.trim());
    return family;
  }
}

function setHelp(family: Building, start: number, end: number): void {
  family.helpStart = start;
  family.helpEnd = end;
}

function setType(family: Building, type: MetricType | string): void {
  if (!TYPE_NAMES.has(type)) throw new Error(`unknown metric type "${type}"`);
  family.type = type as MetricType;
}

/** The metric type written in bytes[start, end), spaces around it ignored; else the text found there. */
function typeIn(bytes: Buffer, start: number, end: number): MetricType | string {
  let from = start;
  let to = end;
  while (from < to && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
  while (to > from && (bytes[to - 1] === SPACE || bytes[to - 1] === TAB)) to--;
  for (const [name, type] of TYPE_NAME_BYTES) {
    if (name.length === to - from && startsWith(bytes, from, name)) return type;
  }
  return bytes.toString('utf8', from, to);
}

function helpOf(bytes: Buffer, { helpStart, helpEnd }: Building): string {
  if (helpStart < 0) return '';
  const help = bytes.toString('utf8', helpStart, helpEnd);
  return help.includes('\\') ? unescapeHelp(help) : help;
}

/** `true` when out[aStart, aEnd) and out[bStart, bEnd) hold the same bytes. */
function sameBytes(out: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (out[aStart + i] !== out[bStart + i]) return false;
  return true;
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
 * `bytes` read as a repeat of `template`: each stretch between two values must be the
 * template's, byte for byte, and each value a float; the page lines are the template's
 * around the new values. Undefined at the first difference.
 */
function resplit(bytes: Buffer, { source, values, body: template }: Template): SplitBody | undefined {
  const lines = values.length / 2;
  // Only values differ: the page differs from the template's by as many bytes as the body does.
  const size = template.bytes.length + bytes.length - source.length;
  if (size < 0) return undefined;
  const out = Buffer.allocUnsafe(size);
  const lineStarts = new Int32Array(lines + 1);
  const seriesEnds = new Int32Array(lines);
  const page = template.bytes;
  // The template's page is copied in stretches, natively, as long as the values in them keep
  // their length (most do); those values are written over the template's once their stretch is in.
  const pending = new Int32Array(3 * lines);
  let pendingCount = 0;
  let shift = 0;
  let copyFrom = 0;
  const copyUpTo = (pageEnd: number) => {
    page.copy(out, copyFrom + shift, copyFrom, pageEnd);
    for (let p = 0; p < pendingCount; p += 3) {
      let o = pending[p] as number;
      for (let i = pending[p + 1] as number; i < (pending[p + 2] as number); i++)
        out[o++] = bytes[i] as number;
    }
    pendingCount = 0;
  };
  let at = 0;
  let from = 0;
  for (let line = 0; line < lines; line++) {
    const valueStart = values[2 * line] as number;
    const span = valueStart - from;
    if (at + span > bytes.length || bytes.compare(source, from, valueStart, at, at + span) !== 0)
      return undefined;
    at += span;
    let end = at;
    for (let c = bytes[end]; end < bytes.length && c !== LF && c !== CR && c !== SPACE && c !== TAB; ) {
      c = bytes[++end];
    }
    if (end === at || !isFloat(bytes, at, end)) return undefined;
    const pageValue = (template.seriesEnds[line] as number) + 1;
    const pageValueEnd = (template.lineStarts[line + 1] as number) - 1;
    lineStarts[line] = (template.lineStarts[line] as number) + shift;
    seriesEnds[line] = pageValue - 1 + shift;
    if (end - at === pageValueEnd - pageValue) {
      pending[pendingCount++] = pageValue + shift;
      pending[pendingCount++] = at;
      pending[pendingCount++] = end;
    } else {
      copyUpTo(pageValue);
      bytes.copy(out, pageValue + shift, at, end);
      shift += end - at - (pageValueEnd - pageValue);
      copyFrom = pageValueEnd;
    }
    from = values[2 * line + 1] as number;
    at = end;
  }
  if (bytes.length - at !== source.length - from || bytes.compare(source, from, source.length, at) !== 0) {
    return undefined;
  }
  copyUpTo(page.length);
  lineStarts[lines] = page.length + shift;
  return { ...template, bytes: out, lineStarts, seriesEnds };
}

/** Reads the whole body, in one pass: a sample line is walked, quote- and escape-aware, only to learn which injected names it has and where its parts are, then copied around the injected text. */
function readInFull(bytes: Buffer, inject: Labels): SplitBody {
  const length = bytes.length;
  const injectNames = Object.keys(inject);
  const injectNameBytes = injectNames.map(ascii);
  // The injected text by which injected names a sample already carries (a bit per name), rendered once each.
  const prefixes = Array.from({ length: 1 << injectNames.length }, (_, mask) =>
    Buffer.from(
      injectNames
        .filter((_, bit) => (mask & (1 << bit)) === 0)
        .map((name) => `${name}="${escapeValue(inject[name] as string)}"`)
        .join(','),
    ),
  );
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
        sameBytes(out, lineStarts[earlier] as number, seriesEnds[earlier] as number, lineStart, seriesEnd) ||
        collided
          ?.get(hash)
          ?.some((line) =>
            sameBytes(out, lineStarts[line] as number, seriesEnds[line] as number, lineStart, seriesEnd),
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
