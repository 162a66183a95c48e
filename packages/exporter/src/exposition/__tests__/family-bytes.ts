import { eachRange } from '../line-ranges.js';
import type { ByteFamily } from '../types.js';

/** A byte family's sample lines, joined as they go on the page. */
export function familyBytes(family: ByteFamily): Buffer {
  const parts: Buffer[] = [];
  eachRange(family, (bytes, start, end) => parts.push(bytes.subarray(start, end)));
  return Buffer.concat(parts);
}
