// Complete lines of a log file read in bounded chunks, from the start or from the end: a log
// can grow to gigabytes (json-file has no size limit unless asked), more than one string or
// one array may hold, and `--tail 10` should not read all of it.
import fs from 'node:fs';

const CHUNK = 1 << 20;

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** Where the last complete line of the file's first `size` bytes ends (0 when there is none). */
export function lastLineEnd(fd: number, size: number): number {
  for (let pos = size; pos > 0;) {
    const start = Math.max(0, pos - CHUNK);
    const at = readAt(fd, pos - start, start).lastIndexOf(10);
    if (at !== -1) return start + at + 1;
    pos = start;
  }
  return 0;
}

/** The lines of bytes [0, end) in order; `end` must be a line end (from lastLineEnd). */
export function* linesForward(fd: number, end: number): Generator<string> {
  let carry = '';
  for (let pos = 0; pos < end;) {
    const data = readAt(fd, Math.min(CHUNK, end - pos), pos);
    if (data.length === 0) return;
    pos += data.length;
    // a cut at a newline never splits a UTF-8 sequence
    const cut = data.lastIndexOf(10) + 1;
    if (cut === 0) {
      carry += data.toString('utf8');
      continue;
    }
    const lines = (carry + data.toString('utf8', 0, cut - 1)).split('\n');
    carry = data.toString('utf8', cut);
    yield* lines;
  }
  if (carry) yield carry;
}

/** The lines of bytes [0, end), newest first; stop pulling once you have enough. */
export function* linesBackward(fd: number, end: number): Generator<string> {
  let carry: Buffer = Buffer.alloc(0); // the start of the file's next line (so far), with its newline
  for (let pos = end; pos > 0;) {
    const start = Math.max(0, pos - CHUNK);
    const chunk = readAt(fd, pos - start, start);
    pos = start;
    const data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
    // bytes before the first newline may continue a line that began in an earlier chunk
    const first = pos === 0 ? -1 : data.indexOf(10);
    if (pos > 0 && first === -1) {
      carry = data;
      continue;
    }
    const lines = data.toString('utf8', first + 1, data.length - 1).split('\n');
    carry = pos > 0 ? Buffer.from(data.subarray(0, first + 1)) : Buffer.alloc(0);
    for (let i = lines.length - 1; i >= 0; i--) yield lines[i];
  }
}
