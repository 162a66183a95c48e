/**
 * Reading a dump's files: metadata as JSON, data as JSON lines (gzip detected
 * by its magic bytes, so a misnamed file still reads), and the lines as
 * document operations, with or without arangodump's envelope.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isLosslessNumber, parse, stringify } from 'lossless-json';
import type { DumpFiles } from './files.js';

/** Envelope types (replication dump): 2300 document, 2301 edge (1.x/2.x), 2302 removal. */
const ENVELOPE_PUT = new Set([2300, 2301]);
const ENVELOPE_REMOVE = 2302;

export type DumpOperation =
  /**
   * The document's JSON text as the dump holds it (numbers keep their digits);
   * `key` is known for envelope lines, where the same key may come again.
   */
  { op: 'put'; text: string; key?: string } | { op: 'remove'; key: string };

export async function readJsonFile(files: DumpFiles, path: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of await plaintext(await files.open(path))) chunks.push(Buffer.from(c));
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** The stream, gunzipped when it starts with gzip's magic bytes. */
export async function plaintext(stream: Readable): Promise<AsyncIterable<Buffer>> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return (async function* () {})();
  const head = Buffer.from(first.value as Buffer);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.from(next.value as Buffer);
    }
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const source = rest();
    void (async () => {
      try {
        for await (const chunk of source) {
          if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
        }
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    return gunzip;
  }
  return rest();
}

/** Non-empty lines of a data file (CRLF tolerated), with their 1-based line number. */
export async function* dataLines(files: DumpFiles, path: string): AsyncGenerator<[string, number]> {
  let carry = '';
  let lineNo = 0;
  const decoder = new TextDecoder('utf8', { fatal: true });
  for await (const chunk of await plaintext(await files.open(path))) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lineNo += 1;
      const line = text.slice(start, nl).trim();
      if (line) yield [line, lineNo];
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  const last = (carry + decoder.decode()).trim();
  if (last) yield [last, lineNo + 1];
}

/** A data line arangodump could not have written. */
export class DumpLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`);
    this.name = 'DumpLineError';
  }
}

/**
 * The operations of one data file. Lines without envelope are passed through
 * untouched; envelope lines are unwrapped with a lossless parser so numbers
 * beyond 2^53 keep their digits.
 */
export async function* dumpOperations(files: DumpFiles, path: string): AsyncGenerator<DumpOperation> {
  for await (const [line, lineNo] of dataLines(files, path)) {
    if (!line.startsWith('{"type":')) {
      if (line[0] !== '{') throw new DumpLineError(path, lineNo, 'not a JSON object');
      yield { op: 'put', text: line };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = parse(line);
    } catch (e) {
      throw new DumpLineError(path, lineNo, `not valid JSON (${(e as Error).message})`);
    }
    const env = parsed as { type?: unknown; data?: unknown; key?: unknown };
    const type = isLosslessNumber(env.type) ? env.type.valueOf() : env.type;
    if (typeof type === 'number' && ENVELOPE_PUT.has(type) && typeof env.data === 'object' && env.data) {
      const key = (env.data as { _key?: unknown })._key;
      yield { op: 'put', text: stringify(env.data) ?? '', ...(typeof key === 'string' ? { key } : {}) };
    } else if (type === ENVELOPE_REMOVE) {
      const key = typeof env.key === 'string' ? env.key : (env.data as { _key?: unknown } | undefined)?._key;
      if (typeof key !== 'string') throw new DumpLineError(path, lineNo, 'removal without a key');
      yield { op: 'remove', key };
    } else if (typeof type === 'number' && env.data === undefined) {
      throw new DumpLineError(path, lineNo, `unknown envelope type ${type}`);
    } else {
      // A document that happens to have a `type` attribute first.
      yield { op: 'put', text: line };
    }
  }
}

/**
 * How many documents a collection holds once its data parts are applied in
 * order: envelope lines repeat and remove keys (last wins), plain lines are
 * one document each (counted on the bytes, without decoding them).
 */
export async function countDocuments(files: DumpFiles, paths: string[]): Promise<number> {
  let plain = 0;
  const keyed = new Set<string>();
  for (const path of paths) {
    const fast = await countPlainLines(files, path);
    if (fast !== undefined) {
      plain += fast;
      continue;
    }
    for await (const op of dumpOperations(files, path)) {
      if (op.op === 'remove') keyed.delete(op.key);
      else if (op.key === undefined) plain += 1;
      else keyed.add(op.key);
    }
  }
  return plain + keyed.size;
}

const ENVELOPE_START = Buffer.from('{"type":');
const NEWLINE = 0x0a;

/** Counts non-blank lines on raw bytes; `envelope` once the first line turns out to be one. */
export class PlainLineCounter {
  #count = 0;
  #content = false;
  #first = true;
  envelope = false;

  push(chunk: Buffer): void {
    if (this.envelope) return;
    if (this.#first) {
      const start = chunk.findIndex((b) => b > 0x20);
      if (start >= 0) {
        this.envelope = chunk.subarray(start, start + ENVELOPE_START.length).equals(ENVELOPE_START);
        this.#first = false;
      }
    }
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, i);
      const end = nl < 0 ? chunk.length : nl;
      // Only the start of a line is scanned: the first byte that is not blank settles it.
      for (let j = i; !this.#content && j < end; j++) if (chunk[j]! > 0x20) this.#content = true;
      if (nl < 0) break;
      if (this.#content) this.#count += 1;
      this.#content = false;
      i = nl + 1;
    }
  }

  get lines(): number {
    return this.#content ? this.#count + 1 : this.#count;
  }
}

/** Non-blank lines of a data file without envelope; undefined when its first line is an envelope. */
async function countPlainLines(files: DumpFiles, path: string): Promise<number | undefined> {
  const counter = new PlainLineCounter();
  for await (const chunk of await plaintext(await files.open(path))) {
    counter.push(chunk);
    if (counter.envelope) return undefined;
  }
  return counter.lines;
}
