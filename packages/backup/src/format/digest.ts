/**
 * The order-independent content digest of a collection: SHA-256 of each document's canonical JSON
 * (see lossless.ts), without `_id` and `_rev` (a restore derives or changes them), added up modulo
 * 2^256. Dump order (shards, parallel batches) and restore order do not matter; a changed, missing or
 * extra document does.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type LosslessDocument } from './lossless.js';

export const DIGEST_ALGORITHM = 'sha256-sum-mod-2^256:canonical-json-without-_id-_rev';
const OMIT: ReadonlySet<string> = new Set(['_id', '_rev']);
const MODULUS = 1n << 256n;

export function documentHash(doc: LosslessDocument): string {
  return createHash('sha256').update(canonicalJson(doc, OMIT)).digest('hex');
}

export class ContentDigest {
  #sum = 0n;
  #count = 0;

  add(doc: LosslessDocument): void {
    this.#sum = (this.#sum + BigInt(`0x${documentHash(doc)}`)) % MODULUS;
    this.#count += 1;
  }

  get count(): number {
    return this.#count;
  }

  /** 64 hex digits. */
  hex(): string {
    return this.#sum.toString(16).padStart(64, '0');
  }
}
