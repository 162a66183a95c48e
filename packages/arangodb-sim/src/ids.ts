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

/** Encodes the HLC `physicalMs * 2^20 + logical` without BigInt: revisions are minted per write. */
function encodeParts(physicalMs: number, logical: number): string {
  let out = ALPHABET[logical & 63] as string;
  out = (ALPHABET[(logical >> 6) & 63] as string) + out;
  out = (ALPHABET[(logical >> 12) & 63] as string) + out;
  out = (ALPHABET[((logical >> 18) & 3) | ((physicalMs % 16) << 2)] as string) + out;
  let rest = Math.floor(physicalMs / 16);
  while (rest > 0) {
    out = (ALPHABET[rest % 64] as string) + out;
    rest = Math.floor(rest / 64);
  }
  return out;
}

const LOGICAL_LIMIT = 1 << 20;

export class IdSource {
  private tickValue: number;
  private physical = 0;
  private logical = 0;

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
  private advance(): void {
    const now = Math.floor(this.clock());
    if (now > this.physical) {
      this.physical = now;
      this.logical = 0;
    } else if (++this.logical >= LOGICAL_LIMIT) {
      this.physical += 1;
      this.logical = 0;
    }
  }

  hlc(): bigint {
    this.advance();
    return (BigInt(this.physical) << 20n) | BigInt(this.logical);
  }

  rev(): string {
    this.advance();
    return encodeParts(this.physical, this.logical);
  }

  /** Auto index names are `idx_` + a 19-digit HLC. */
  indexName(): string {
    return `idx_${this.hlc().toString()}`;
  }
}
