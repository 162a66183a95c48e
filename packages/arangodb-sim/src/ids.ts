/**
 * Server-wide identifiers: the tick (collection ids, traditional keys, cursor ids) and
 * hybrid-logical-clock revisions rendered in ArangoDB's own base64 flavour (`_l6zhVDW---`).
 */

// ArangoDB's HLC encoding alphabet (velocypack HybridLogicalClock): sorts like the numbers it encodes.
const ALPHABET = '-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function encodeHlc(value: bigint): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v & 63n)] + out;
    v >>= 6n;
  }
  return out || '-';
}

export function decodeHlc(rev: string): bigint | undefined {
  let v = 0n;
  for (const ch of rev) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) return undefined;
    v = (v << 6n) | BigInt(i);
  }
  return v;
}

export class IdSource {
  private tickValue: number;
  private lastHlc = 0n;

  constructor(
    private readonly clock: () => number,
    start = 68000,
  ) {
    this.tickValue = start;
  }

  tick(): number {
    this.tickValue += 1;
    return this.tickValue;
  }

  /** Make later ticks exceed `value` (autoincrement/traditional key generators observe user keys). */
  observe(value: number): void {
    if (value > this.tickValue) this.tickValue = value;
  }

  /** Strictly increasing HLC: physical ms in the upper bits, a logical counter in the lower 20. */
  hlc(): bigint {
    const physical = BigInt(Math.floor(this.clock())) << 20n;
    this.lastHlc = physical > this.lastHlc ? physical : this.lastHlc + 1n;
    return this.lastHlc;
  }

  rev(): string {
    return encodeHlc(this.hlc());
  }

  /** Auto index names are `idx_` + a 19-digit HLC. */
  indexName(): string {
    return `idx_${this.hlc().toString()}`;
  }
}
