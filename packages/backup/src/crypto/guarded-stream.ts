import { Duplex } from 'node:stream';

/**
 * Wraps the Encryption SDK's encrypt stream so it is never destroyed half-way: the SDK pipes its
 * frames into its signature stream with a callback-less `pipeline`, which throws (an uncaught
 * exception) when that pair closes early. When our pipeline fails, the SDK stream is instead ended
 * and drained into nothing: it finishes normally and disposes of its key material.
 */
export function guardedStream(inner: Duplex): Duplex {
  let finished = false;
  const outer = new Duplex({
    write(chunk: Buffer, _enc, done) {
      if (inner.write(chunk)) done();
      else inner.once('drain', () => done());
    },
    final(done) {
      inner.once('end', () => done());
      inner.end();
    },
    read() {
      inner.resume();
    },
    destroy(err, done) {
      inner.removeAllListeners('data');
      inner.on('error', () => {});
      if (!finished) {
        inner.resume();
        inner.end();
      }
      done(err);
    },
  });
  inner.on('data', (chunk: Buffer) => {
    if (!outer.push(chunk)) inner.pause();
  });
  inner.once('end', () => {
    finished = true;
    outer.push(null);
  });
  inner.on('error', (e: Error) => outer.destroy(e));
  return outer;
}
