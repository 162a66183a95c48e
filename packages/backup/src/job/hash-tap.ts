import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export interface HashTap {
  /** Passes bytes through, counting and hashing them. */
  stream: Transform;
  bytes(): number;
  sha256(): string;
}

export function hashTap(): HashTap {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | undefined;
  return {
    stream: new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
    bytes: () => bytes,
    sha256: () => (digest ??= hash.digest('hex')),
  };
}
