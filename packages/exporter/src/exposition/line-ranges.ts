import type { ByteFamily, LineSource } from './types.js';

/** Hands each run of a byte family's lines to `take`, in page order: the source's bytes, start and end. */
export function eachRange(
  family: ByteFamily,
  take: (bytes: Buffer, start: number, end: number) => void,
): void {
  const { sources, runs } = family;
  for (let r = 0; r < runs.length; r += 3) {
    const { bytes, lineStarts } = sources[runs[r] as number] as LineSource;
    take(bytes, lineStarts[runs[r + 1] as number] as number, lineStarts[runs[r + 2] as number] as number);
  }
}
