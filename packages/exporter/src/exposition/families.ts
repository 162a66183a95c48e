import { ascii, isDigit, isNameChar, SPACE, startsWith, TAB, UNDERSCORE } from './bytes.js';
import { SUFFIXES, TYPES, unescapeHelp } from './parse.js';
import type { SplitFamily } from './split.js';
import type { MetricType } from './types.js';

/** `Building.mask` before the first line, and once lines differ. */
export const NO_LINES = -1;
export const MIXED = -2;

export const HISTOGRAM_SUFFIXES = SUFFIXES.histogram;
const SUMMARY_SUFFIXES = SUFFIXES.summary;
// A map, not the object: `constructor` is no metric type.
export const TYPE_NAMES = new Map(Object.entries(TYPES));
const COMMENT = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s(.*))?$/;

/**
 * A family while its body is read: `mask` is the injected names its lines carry (a bit per
 * name); `nameAt` is where the body first writes its name, for comparing bytes with bytes.
 */
export interface Building extends Omit<SplitFamily, 'lead' | 'help'> {
  mask: number;
  nameAt: number;
  /** Where its HELP text is in the body, -1 without one. */
  helpStart: number;
  helpEnd: number;
}

const HELP_LINE = ascii('# HELP ');
const TYPE_LINE = ascii('# TYPE ');
const HISTOGRAM_SUFFIX_BYTES = HISTOGRAM_SUFFIXES.map(ascii);
const SUMMARY_SUFFIX_BYTES = SUMMARY_SUFFIXES.map(ascii);
const TYPE_NAME_BYTES = [...TYPE_NAMES].map(([name, type]) => [ascii(name), type] as const);

/** `true` when the body writes `family`'s name at `start`. */
function namedAt(bytes: Uint8Array, start: number, { name, nameAt }: Building): boolean {
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== bytes[nameAt + i]) return false;
  return true;
}

/** Where the sample name starting at `start` ends if the sample is one of `family`'s, else -1. */
export function nameEndIn(bytes: Uint8Array, start: number, family: Building): number {
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

/** The families of one body as its HELP, TYPE and sample lines name them. */
export class Families {
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

export function helpOf(bytes: Buffer, { helpStart, helpEnd }: Building): string {
  if (helpStart < 0) return '';
  const help = bytes.toString('utf8', helpStart, helpEnd);
  return help.includes('\\') ? unescapeHelp(help) : help;
}
