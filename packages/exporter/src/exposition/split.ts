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
const HISTOGRAM_SUFFIXES = SUFFIXES.histogram;
const SUMMARY_SUFFIXES = SUFFIXES.summary;
const typeOf = (text: string): MetricType | undefined =>
  Object.hasOwn(TYPES, text) ? TYPES[text] : undefined;

/**
 * Splits one server's body (text format 0.0.4) into families in a single pass, relabelling
 * each sample on the way: the `inject` labels a sample does not carry are put first. Sample
 * lines are never parsed into objects: the label text is walked (quote- and escape-aware)
 * only to learn which injected names it has and where it ends, and a line written the way
 * ArangoDB writes it is reused as it is. Histogram and summary samples stay under their
 * family. Throws ExpositionParseError, naming the line, for text that is not the format (an
 * HTML or JSON error page, a cut-off line, a value that is not a float).
 */
export function splitExposition(text: string, inject: Labels = {}): SplitFamily[] {
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

  const families = new Map<string, SplitFamily>();
  // Once a family is named like a histogram sample (`x_count`), which family a sample belongs
  // to depends on the families declared so far: such bodies take the full lookup for every sample.
  let suffixedNames = false;
  const family = (name: string): SplitFamily => {
    let found = families.get(name);
    if (!found) {
      found = { name, help: '', type: 'untyped', lines: [] };
      families.set(name, found);
      if (HISTOGRAM_SUFFIXES.some((suffix) => name.endsWith(suffix))) suffixedNames = true;
    }
    return found;
  };
  const familyOf = (sampleName: string): SplitFamily => {
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
  let current: SplitFamily | undefined;
  let lineNumber = 0;
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
        current = comment(start, end) ?? current;
        continue;
      }
      let nameEnd = current === undefined || suffixedNames ? -1 : nameEndIn(current, start);
      if (nameEnd < 0) {
        nameEnd = start;
        while (isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
        if (nameEnd === start || c <= 57) throw new Error('invalid metric name');
        current = familyOf(text.slice(start, nameEnd));
      }
      (current as SplitFamily).lines.push(relabel(start, nameEnd, end));
    } catch (error) {
      throw new ExpositionParseError((error as Error).message, lineNumber);
    }
  }
  return [...families.values()];

  /** Where the sample name starting at `start` ends if the sample is one of `family`'s, else -1. */
  function nameEndIn({ name, type }: SplitFamily, start: number): number {
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
  function comment(start: number, end: number): SplitFamily | undefined {
    // `# HELP name text`, as ArangoDB writes it, is read without the regular expression.
    const keyword = text.slice(start, start + 7);
    if (keyword === '# HELP ' || keyword === '# TYPE ') {
      let nameEnd = text.indexOf(' ', start + 7);
      if (nameEnd < 0 || nameEnd > end) nameEnd = end;
      const name = text.slice(start + 7, nameEnd);
      // A name already in the map was checked when it was added.
      if (families.has(name) || METRIC_NAME.test(name)) {
        return apply(
          keyword === '# HELP ' ? 'HELP' : 'TYPE',
          name,
          nameEnd < end ? text.slice(nameEnd + 1, end) : '',
        );
      }
    }
    const match = COMMENT.exec(text.slice(start, end));
    return match ? apply(match[1] as string, match[2] as string, match[3] ?? '') : undefined;
  }

  function apply(keyword: string, name: string, rest: string): SplitFamily {
    const target = family(name);
    if (keyword === 'HELP') target.help = rest.includes('\\') ? unescapeHelp(rest) : rest;
    else {
      const type = typeOf(rest) ?? typeOf(rest.trim());
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

  /** The sample line text[start, end) as it goes on the page; its metric name ends at `nameEnd`. */
  function relabel(start: number, nameEnd: number, end: number): string {
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
    const asWritten = i === end && valueStart === separator + 1 && text.charCodeAt(separator) === SPACE;
    const prefix = injectNames.length === 0 ? '' : prefixFor(mask);
    if (labelsEnd > labelsStart) {
      if (asWritten) {
        return prefix === ''
          ? text.slice(start, end)
          : `${text.slice(start, labelsStart)}${prefix},${text.slice(labelsStart, end)}`;
      }
      const labels = text.slice(labelsStart, labelsEnd);
      return `${text.slice(start, nameEnd)}{${prefix === '' ? '' : `${prefix},`}${labels}} ${text.slice(valueStart, i)}`;
    }
    if (prefix === '' && asWritten && labelsStart < 0) return text.slice(start, end);
    const name = text.slice(start, nameEnd);
    return prefix === ''
      ? `${name} ${text.slice(valueStart, i)}`
      : `${name}{${prefix}} ${text.slice(valueStart, i)}`;
  }
}
