/** Byte-level helpers of the exposition reader: bodies stay bytes from the socket to the page. */

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const COMMA = 44;
export const EQUALS = 61;
export const BACKSLASH = 92;
export const UNDERSCORE = 95;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;

// A table rather than comparisons: this runs for every byte of every name.
const NAME_CHARS = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:')
  NAME_CHARS[c.charCodeAt(0)] = 1;
export const isNameChar = (c: number | undefined) => NAME_CHARS[c as number] === 1;
export const isDigit = (c: number | undefined) => (c as number) >= 48 && (c as number) <= 57;

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

// Patterns are bytes too: comparing bytes with bytes keeps the hot loops on one kind of array.
export const ascii = (text: string) => Buffer.from(text, 'latin1');

export const startsWith = (bytes: Uint8Array, at: number, pattern: Uint8Array): boolean => {
  for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false;
  return true;
};

/** `true` when a[aStart, aEnd) and b[bStart, bEnd) hold the same bytes. */
export function sameBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
