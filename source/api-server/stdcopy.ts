// docker's stdcopy framing for a non-TTY stream: an 8-byte header (stream 1 stdout / 2 stderr,
// three zero bytes, the payload's length big-endian) before each payload. A TTY's stream is raw.
import { Writable } from 'node:stream';

export function frame(stream: 1 | 2, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** A writable that frames what it gets for `out` (or passes it raw for a TTY); `wanted` false drops it. */
export function framedWriter(out: NodeJS.WritableStream, stream: 1 | 2, tty: boolean, wanted = true): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!wanted || !out.writable) return done();
      out.write(tty ? chunk : frame(stream, chunk));
      done();
    },
  });
}
