import { ExpositionParseError, SUFFIXES, TYPES, unescapeHelp } from './parse.js';
import type { Labels, MetricType } from './types.js';

const TAB = 9;
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

/** One family of one server's body: its sample lines, relabelled, in the order the server wrote them. */
export interface SplitFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Sample lines as they go on the page: `name{labels} value`, injected labels first, no timestamp. */
  lines: string[];
  /**
   * The first injected label as written (`server="…"`) when every line got the same injected
   * text and it begins with that label: the lines of two servers with different leads then
   * cannot be the same series, and only the server's own lines can repeat one another.
   */
  lead: string | undefined;
  /** Per line, its series as the server wrote it, without the family name (`_bucket{role="…",le="1"`); with `lead`, these tell repeats apart. */
  keys: string[];
}

// A table rather than the comparisons in parse.ts: this runs for every character of every name.
const NAME_CHARS = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:')
  NAME_CHARS[c.charCodeAt(0)] = 1;
const isNameChar = (c: number) => c < 128 && NAME_CHARS[c] === 1;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const COMMENT = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s(.*))?$/;

/**
 * Index of the quote that closes a label value starting at `from`, before `end`, or -1: a quote
 * after an odd run of backslashes is part of the value.
 */
export function closingQuote(text: string, from: number, end = text.length): number {
  let close = text.indexOf('"', from);
  while (close >= 0 && close < end) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function digitsEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** `true` for a Prometheus float: decimal or exponent notation, `NaN`, `Inf`/`+Inf`/`-Inf`. */
export function isFloat(text: string, start = 0, end = text.length): boolean {
  const c = text.charCodeAt(start);
  const signed = c === 43 || c === 45;
  const from = signed ? start + 1 : start;
  const word = end - from === 3 ? text.slice(from, end) : '';
  if (word === 'Inf' || (word === 'NaN' && !signed)) return true;
  let i = digitsEnd(text, from, end);
  let digits = i - from;
  if (i < end && text.charCodeAt(i) === 46) {
    const fraction = i + 1;
    i = digitsEnd(text, fraction, end);
    digits += i - fraction;
  }
  if (digits === 0) return false;
  if (i < end && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
    const sign = text.charCodeAt(i + 1);
    const exponent = sign === 43 || sign === 45 ? i + 2 : i + 1;
    i = digitsEnd(text, exponent, end);
    if (i === exponent) return false;
  }
  return i === end;
}

const escapeValue = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
/** `Building.mask` before the first line, and once lines differ. */
const NO_LINES = -1;
const MIXED = -2;

/** A family while its body is read: `mask` is the injected names its lines carry (a bit per name). */
interface Building extends Omit<SplitFamily, 'lead'> {
  mask: number;
}
const HISTOGRAM_SUFFIXES = SUFFIXES.histogram;
const SUMMARY_SUFFIXES = SUFFIXES.summary;
// A map, not the object: `constructor` is no metric type.
const TYPE_NAMES = new Map(Object.entries(TYPES));

/**
 * Splits one server's body (text format 0.0.4) into families in a single pass, relabelling
 * each sample on the way: the `inject` labels a sample does not carry are put first. Sample
 * lines are never parsed into objects: the label text is walked (quote- and escape-aware)
 * only to learn which injected names it has and where it ends, and a line written the way
 * ArangoDB writes it is reused as it is. Histogram and summary samples stay under their
 * family. Throws ExpositionParseError, naming the line, for text that is not the format (an
 * HTML or JSON error page, a cut-off line, a value that is not a float). The body may come in
 * pieces of whole lines (see decodeLines).
 */
export function splitExposition(body: string | readonly string[], inject: Labels = {}): SplitFamily[] {
  const injectNames = Object.keys(inject);
  // The injected text by which injected names a sample already carries (a bit per name), rendered once each.
  const prefixes: string[] = [];
  const prefixFor = (mask: number): string => {
    let prefix = prefixes[mask];
    if (prefix === undefined) {
      prefix = injectNames
        .filter((_, bit) => (mask & (1 << bit)) === 0)
        .map((name) => `${name}="${escapeValue(inject[name] as string)}"`)
        .join(',');
      prefixes[mask] = prefix;
    }
    return prefix;
  };

  // The first injected label, as every line with the full injected text begins.
  const lead = injectNames.length === 0 ? undefined : prefixFor((1 << injectNames.length) - 2);
  const families = new Map<string, Building>();
  // Once a family is named like a histogram sample (`x_count`), which family a sample belongs
  // to depends on the families declared so far: such bodies take the full lookup for every sample.
  let suffixedNames = false;
  const family = (name: string): Building => {
    let found = families.get(name);
    if (!found) {
      found = { name, help: '', type: 'untyped', lines: [], keys: [], mask: NO_LINES };
      families.set(name, found);
      if (HISTOGRAM_SUFFIXES.some((suffix) => name.endsWith(suffix))) suffixedNames = true;
    }
    return found;
  };
  const familyOf = (sampleName: string): Building => {
    const direct = families.get(sampleName);
    if (direct && direct.type !== 'histogram' && direct.type !== 'summary') return direct;
    for (const suffix of HISTOGRAM_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = families.get(sampleName.slice(0, -suffix.length));
      if (base?.type === 'histogram' || (base?.type === 'summary' && suffix !== '_bucket')) return base;
    }
    return direct ?? family(sampleName);
  };

  // Samples follow their TYPE line: the family of the previous line is tried first.
  let current: Building | undefined;
  let lineNumber = 0;
  let text = '';
  for (const piece of typeof body === 'string' ? [body] : body) {
    text = piece;
    let next = 0;
    while (next < text.length) {
      lineNumber++;
      let start = next;
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      next = end + 1;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      let c = text.charCodeAt(start);
      while ((c === SPACE || c === TAB) && start < end) c = text.charCodeAt(++start);
      if (start === end) continue;
      try {
        if (c === HASH) {
          current = comment(start, end, current) ?? current;
          continue;
        }
        let nameEnd = current === undefined || suffixedNames ? -1 : nameEndIn(current, start);
        if (nameEnd < 0) {
          nameEnd = start;
          while (isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
          if (nameEnd === start || c <= 57) throw new Error('invalid metric name');
          current = familyOf(text.slice(start, nameEnd));
        }
        relabel(current as Building, start, nameEnd, end);
      } catch (error) {
        throw new ExpositionParseError((error as Error).message, lineNumber);
      }
    }
  }
  return [...families.values()].map(({ name, help, type, lines, keys, mask }) => ({
    name,
    help,
    type,
    lines,
    keys,
    // Bit 0 clear on every line: the first injected name was absent, so the injected text begins with it.
    lead: mask >= 0 && (mask & 1) === 0 ? lead : undefined,
  }));

  /** Where the sample name starting at `start` ends if the sample is one of `family`'s, else -1. */
  function nameEndIn({ name, type }: Building, start: number): number {
    let at = start + name.length;
    if (text.charCodeAt(at) === UNDERSCORE && (type === 'histogram' || type === 'summary')) {
      const suffix = (type === 'histogram' ? HISTOGRAM_SUFFIXES : SUMMARY_SUFFIXES).find((s) =>
        text.startsWith(s, at),
      );
      if (suffix === undefined) return -1;
      at += suffix.length;
    }
    if (isNameChar(text.charCodeAt(at)) || text.slice(start, start + name.length) !== name) return -1;
    return at;
  }

  /** Applies a HELP or TYPE line; returns its family, or undefined for any other comment. */
  function comment(start: number, end: number, previous: Building | undefined): Building | undefined {
    // `# HELP name text` and `# TYPE name type`, as ArangoDB writes them, are read without the regular expression.
    const keyword = keywordAt(start);
    if (keyword !== undefined) {
      let nameEnd = text.indexOf(' ', start + 7);
      if (nameEnd < 0 || nameEnd > end) nameEnd = end;
      const name = text.slice(start + 7, nameEnd);
      // TYPE follows HELP of the same family: compared rather than looked up. A known name was checked when added.
      const known = previous !== undefined && previous.name === name ? previous : families.get(name);
      if (known !== undefined || METRIC_NAME.test(name)) {
        return apply(known ?? family(name), keyword, nameEnd < end ? text.slice(nameEnd + 1, end) : '');
      }
    }
    const match = COMMENT.exec(text.slice(start, end));
    return match ? apply(family(match[2] as string), match[1] as string, match[3] ?? '') : undefined;
  }

  /** `HELP` or `TYPE` for a line starting `# HELP ` or `# TYPE ` at `start`. */
  function keywordAt(start: number): 'HELP' | 'TYPE' | undefined {
    if (text.charCodeAt(start + 1) !== SPACE || text.charCodeAt(start + 6) !== SPACE) return undefined;
    const keyword = text.slice(start + 2, start + 6);
    return keyword === 'HELP' || keyword === 'TYPE' ? keyword : undefined;
  }

  function apply(target: Building, keyword: string, rest: string): Building {
    if (keyword === 'HELP') target.help = rest.includes('\\') ? unescapeHelp(rest) : rest;
    else {
      const type = TYPE_NAMES.get(rest) ?? TYPE_NAMES.get(rest.trim());
      if (!type) throw new Error(`unknown metric type "${rest.trim()}"`);
      target.type = type;
    }
    return target;
  }

  /** Bit `i` set when the label named by text[start, end) is the i-th injected name. */
  function injectedBit(start: number, end: number): number {
    for (let bit = 0; bit < injectNames.length; bit++) {
      const injected = injectNames[bit] as string;
      if (injected.length === end - start && text.slice(start, end) === injected) return 1 << bit;
    }
    return 0;
  }

  /** Adds the sample line text[start, end), whose metric name ends at `nameEnd`, to `family` as it goes on the page. */
  function relabel(family: Building, start: number, nameEnd: number, end: number): void {
    let i = nameEnd;
    let mask = 0;
    let labelsStart = -1;
    let labelsEnd = -1;
    if (text.charCodeAt(i) === OPEN_BRACE) {
      labelsStart = ++i;
      for (;;) {
        let c = text.charCodeAt(i);
        while (c === SPACE || c === COMMA) c = text.charCodeAt(++i);
        if (c === CLOSE_BRACE && i < end) break;
        const labelStart = i;
        while (isNameChar(c)) c = text.charCodeAt(++i);
        if (i === labelStart || c !== EQUALS || text.charCodeAt(i + 1) !== QUOTE || i + 1 >= end) {
          throw new Error(`invalid label at column ${labelStart - start + 1}`);
        }
        if (injectNames.length > 0) mask |= injectedBit(labelStart, i);
        const close = closingQuote(text, i + 2, end);
        if (close < 0) throw new Error(`unterminated value of label ${text.slice(labelStart, i)}`);
        i = close + 1;
      }
      labelsEnd = i++;
    }
    // 3.10.0–3.10.5 wrote no space between the labels and the value; a timestamp may follow it.
    const separator = i;
    let c = text.charCodeAt(i);
    while ((c === SPACE || c === TAB) && i < end) c = text.charCodeAt(++i);
    const valueStart = i;
    while (i < end && c !== SPACE && c !== TAB) c = text.charCodeAt(++i);
    if (i === valueStart) throw new Error('expected a value');
    if (!isFloat(text, valueStart, i))
      throw new Error(`expected a float, got "${text.slice(valueStart, i)}"`);
    if (family.mask !== mask) family.mask = family.mask === NO_LINES ? mask : MIXED;
    // `x{}` and `x` are one series: both keys end with the name.
    family.keys.push(text.slice(start + family.name.length, labelsEnd > labelsStart ? labelsEnd : nameEnd));
    // Written as ArangoDB writes it (one space before the value, no timestamp), the line is reused.
    const asWritten = i === end && valueStart === separator + 1 && text.charCodeAt(separator) === SPACE;
    family.lines.push(line(start, nameEnd, labelsStart, labelsEnd, valueStart, i, asWritten, mask));
  }

  /** The page line; `labelsStart` is -1 without braces, `labelsEnd` the index of `}`. */
  function line(
    start: number,
    nameEnd: number,
    labelsStart: number,
    labelsEnd: number,
    valueStart: number,
    valueEnd: number,
    asWritten: boolean,
    mask: number,
  ): string {
    const prefix = injectNames.length === 0 ? '' : prefixFor(mask);
    if (labelsEnd > labelsStart) {
      if (asWritten) {
        return prefix === ''
          ? text.slice(start, valueEnd)
          : `${text.slice(start, labelsStart)}${prefix},${text.slice(labelsStart, valueEnd)}`;
      }
      const labels = text.slice(labelsStart, labelsEnd);
      return `${text.slice(start, nameEnd)}{${prefix === '' ? '' : `${prefix},`}${labels}} ${text.slice(valueStart, valueEnd)}`;
    }
    if (prefix === '' && asWritten && labelsStart < 0) return text.slice(start, valueEnd);
    const name = text.slice(start, nameEnd);
    const value = text.slice(valueStart, valueEnd);
    return prefix === '' ? `${name} ${value}` : `${name}{${prefix}} ${value}`;
  }
}
