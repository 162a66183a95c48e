import { isAscii } from 'node:buffer';

/** Bytes per piece, rounded up to the next line end. */
const PIECE_BYTES = 4096;

/**
 * Decodes a UTF-8 body into pieces of whole lines. Decoded as one string, a body with a single
 * character outside Latin-1 (ArangoDB's HELP texts say "μs") becomes a two-byte string: the
 * decoding takes the slow path for all of it and so does every later step. Piece by piece,
 * only the few pieces with such a character do; the plain ASCII ones are decoded byte for byte.
 */
export function decodeLines(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pieces: string[] = [];
  // A byte order mark is dropped, as the Fetch API's text() drops it.
  let start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  while (start < buffer.length) {
    const newline = start + PIECE_BYTES < buffer.length ? buffer.indexOf(10, start + PIECE_BYTES) : -1;
    const end = newline < 0 ? buffer.length : newline + 1;
    pieces.push(buffer.toString(isAscii(buffer.subarray(start, end)) ? 'latin1' : 'utf8', start, end));
    start = end;
  }
  return pieces;
}
