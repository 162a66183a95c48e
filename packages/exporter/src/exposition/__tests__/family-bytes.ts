import type { ByteFamily, LineSource } from '../types.js';

/** A byte family's sample lines, joined as they go on the page. */
export function familyBytes(family: ByteFamily): Buffer {
  const parts: Buffer[] = [];
  for (let r = 0; r < family.runs.length; r += 3) {
    const { bytes, lineStarts } = family.sources[family.runs[r] as number] as LineSource;
    parts.push(
      bytes.subarray(lineStarts[family.runs[r + 1] as number], lineStarts[family.runs[r + 2] as number]),
    );
  }
  return Buffer.concat(parts);
}
