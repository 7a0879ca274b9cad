// Writing a tar to a Node stream: tar-stream's pack is a streamx stream, which cannot pipe
// without ending its destination, so it is pumped with backpressure instead, and ended only when asked.
import type tar from 'tar-stream';
import { tarStream } from '../layers/tar-stream.js';

/** Runs fill() against a fresh pack whose bytes go to out; a failure in fill() stops the stream and is rethrown. Resolves to the bytes written. */
export async function writeTar(out: NodeJS.WritableStream, end: boolean, fill: (pack: tar.Pack) => Promise<void>): Promise<number> {
  const pack = tarStream().pack();
  const pumping = pump(pack, out, end);
  // The output failing (closed, a reader that gave up) must stop fill(), which waits on the pack.
  pumping.catch((err: Error) => pack.destroy(err));
  try {
    await fill(pack);
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await pumping.catch(() => {});
    throw err;
  }
  return pumping;
}

async function pump(source: AsyncIterable<unknown>, out: NodeJS.WritableStream, end: boolean): Promise<number> {
  let bytes = 0;
  const closed = () => (out as { destroyed?: boolean }).destroyed === true;
  for await (const chunk of source) {
    bytes += (chunk as Uint8Array).length;
    // A destroyed stream emits nothing more: waiting for its 'drain' or 'close' would never end.
    if (closed()) throw new Error('the output was closed');
    if (!out.write(chunk as Uint8Array)) {
      if (closed()) throw new Error('the output was closed');
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          out.off('drain', onDrain);
          out.off('error', done);
          out.off('close', onClose);
          if (err) reject(err);
          else resolve();
        };
        const onDrain = () => done();
        const onClose = () => done(new Error('the output was closed'));
        out.once('drain', onDrain);
        out.once('error', done);
        out.once('close', onClose);
      });
    }
  }
  if (end) await new Promise<void>((resolve) => out.end(() => resolve()));
  return bytes;
}
