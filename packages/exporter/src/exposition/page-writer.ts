import { eachRange } from './line-ranges.js';
import type { ByteFamily, ExpositionFormat, MetricFamily } from './types.js';
import { header, sampleLine } from './write.js';

/** A page being served: its bytes stay as they are while anyone holds it. */
export interface Page {
  readonly bytes: Buffer;
  /** Holds the page (e.g. while a response sends it); the function returned lets go, once. */
  hold(): () => void;
}

/** Buffers kept for the next pages: one per format, and one more for a page still being sent. */
const KEPT_BUFFERS = 4;
/** Room a new buffer has beyond the page it is taken for (a page rarely shrinks or grows by much). */
const SLACK_BYTES = 4096;

/**
 * Writes pages into buffers reused from scrape to scrape. A page is as many bytes as the one
 * before, more or less (the same families, series and HELP texts; only values change): building
 * it as one string per scrape, then copying that into a new buffer, made the page's size twice
 * over in garbage each scrape, and a new buffer of its size (900 KiB with merged server metrics)
 * for the allocator to find room for. Here each line goes straight into a buffer no response
 * holds any more, and HELP/TYPE lines are rendered once.
 */
export class PageWriter {
  readonly #free: Buffer[] = [];
  /** HELP and TYPE lines of families built at scrape time, by format, type, name and help. */
  readonly #headers = new Map<string, Buffer>();
  /** Bytes of the last page not copied from byte families: the next one's estimate. */
  #textBytes = 0;
  #buffer: Buffer = Buffer.alloc(0);
  #at = 0;

  write(families: ReadonlyArray<MetricFamily | ByteFamily>, format: ExpositionFormat): Page {
    let copied = 0;
    const addRange = (_bytes: Buffer, start: number, end: number) => {
      copied += end - start;
    };
    const putRange = (bytes: Buffer, start: number, end: number) => this.#putRange(bytes, start, end);
    for (const family of families) {
      if ('runs' in family) {
        family.headers[format] ??= Buffer.from(header(family, format));
        copied += family.headers[format].length;
        eachRange(family, addRange);
      }
    }
    this.#buffer = this.#take(copied + this.#textBytes);
    this.#at = 0;
    for (const family of families) {
      if ('runs' in family) {
        this.#putBytes(family.headers[format] as Buffer);
        eachRange(family, putRange);
      } else {
        this.#putBytes(this.#header(family, format));
        for (const sample of family.samples) this.#putText(sampleLine(sample));
      }
    }
    if (format === 'openmetrics') this.#putText('# EOF\n');
    this.#textBytes = this.#at - copied;
    return this.#page(this.#buffer, this.#at);
  }

  #page(buffer: Buffer, size: number): Page {
    let holders = 0;
    return {
      bytes: buffer.subarray(0, size),
      hold: () => {
        holders++;
        let held = true;
        return () => {
          if (!held) return;
          held = false;
          if (--holders === 0) this.#recycle(buffer);
        };
      },
    };
  }

  #header(family: MetricFamily, format: ExpositionFormat): Buffer {
    const key = `${format} ${family.type} ${family.name} ${family.help}`;
    let bytes = this.#headers.get(key);
    if (!bytes) {
      bytes = Buffer.from(header(family, format));
      this.#headers.set(key, bytes);
    }
    return bytes;
  }

  /** The smallest kept buffer with room for `size` bytes, or a new one with room to spare. */
  #take(size: number): Buffer {
    let best = -1;
    this.#free.forEach((buffer, i) => {
      if (buffer.length >= size && (best < 0 || buffer.length < (this.#free[best] as Buffer).length))
        best = i;
    });
    if (best >= 0) return this.#free.splice(best, 1)[0] as Buffer;
    // Not from Node's shared pool: a page buffer is kept for many scrapes.
    return Buffer.allocUnsafeSlow(size + (size >> 3) + SLACK_BYTES);
  }

  #recycle(buffer: Buffer): void {
    if (this.#free.length < KEPT_BUFFERS) this.#free.push(buffer);
  }

  #ensure(size: number): void {
    if (this.#at + size <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#buffer.length, this.#at + size));
    this.#buffer.copy(grown, 0, 0, this.#at);
    // No page holds the buffer being written yet.
    this.#recycle(this.#buffer);
    this.#buffer = grown;
  }

  #putBytes(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buffer.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  #putRange(bytes: Buffer, start: number, end: number): void {
    this.#ensure(end - start);
    this.#at += bytes.copy(this.#buffer, this.#at, start, end);
  }

  #putText(text: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    this.#ensure(3 * text.length);
    this.#at += this.#buffer.write(text, this.#at);
  }
}

/** A page assembled from scratch, in a buffer of its own: what a {@link PageWriter} page must equal byte for byte. */
export function writeExposition(
  families: ReadonlyArray<MetricFamily | ByteFamily>,
  format: ExpositionFormat,
): Buffer {
  return Buffer.from(new PageWriter().write(families, format).bytes);
}
