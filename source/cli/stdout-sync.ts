// Writes straight to fd 1, for output printed in one piece: `process.stdout` builds a stream on
// first touch, which loads Node's stream modules (~2.7 ms of a ~30 ms `strata ps`).
import fs from 'node:fs';

export function writeStdoutSync(text: string): void {
  const data = Buffer.from(text);
  let waiter: Int32Array | undefined;
  for (let offset = 0; offset < data.length;) {
    try {
      offset += fs.writeSync(1, data, offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // `strata ps | head -1` closes the pipe early: not an error worth a message
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw err;
      // a non-blocking pipe that is full (its fd shared with a parent that set O_NONBLOCK)
      waiter ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(waiter, 0, 0, 1);
    }
  }
}
