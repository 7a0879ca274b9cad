// Starts `strata-shim run` and reads its status lines (fd 3). The shim detaches itself,
// so the container outlives this process; the pipe only tells us how the start went and,
// while we keep listening, when the container exits.
// The shim is started through the addon's posix_spawn, not child_process: a cold spawn there
// costs ~10 ms of the CLI's `run`. The pipe is read only while someone waits for a line, so
// no read stays pending (and keeps the process alive) once the caller has what it needs.
import fs from 'node:fs';
import { reap, shimPath, spawnDetached } from '../../native.js';
import { parseStatusLine, type ShimStatusLine } from './monitor-protocol.js';

export type ShimStatus = ShimStatusLine;

export interface ShimSession {
  next(): Promise<ShimStatus | undefined>; // undefined: the pipe closed
  close(): void;
}

const REAP_RETRY_MS = 20;
const REAP_TRIES = 250; // ~5 s: the shim's first process exits as soon as it has detached

export function launchShim(specPath: string): ShimSession {
  let child: ReturnType<typeof spawnDetached>;
  try {
    child = spawnDetached(shimPath, ['run', specPath]);
  } catch (err) {
    const message = `cannot start the container monitor ${shimPath}: ${(err as Error).message}`;
    return { next: () => Promise.resolve({ kind: 'error', code: 125, message }), close() {} };
  }
  const chunk = Buffer.alloc(4096);
  const queue: ShimStatus[] = [];
  const waiters: Array<(s: ShimStatus | undefined) => void> = [];
  let buffered = '';
  let reading = false;
  let closed = false; // the pipe reached its end, or the caller is done with it
  let closeWhenIdle = false;
  let delivered = 0;

  const closeFds = () => {
    for (const fd of [child.statusFd, child.stderrFd]) {
      if (fd >= 0) try { fs.closeSync(fd); } catch { /* already closed */ }
    }
    reapLater(child.pid, REAP_TRIES);
  };
  const deliver = (s: ShimStatus | undefined) => {
    if (s) delivered++;
    const w = waiters.shift();
    if (w) w(s);
    else if (s) queue.push(s);
  };
  const finish = () => {
    closed = true;
    // The shim could not even start (bad spec, crash before its first line): say what it printed.
    if (delivered === 0 && waiters.length > 0) {
      const text = readAvailable(child.stderrFd).trim();
      deliver({ kind: 'error', code: 125, message: text ? text.split('\n').pop()! : 'the container monitor exited without a word' });
    }
    while (waiters.length) waiters.shift()!(undefined);
    closeFds();
  };
  const readMore = () => {
    if (reading || closed) return;
    reading = true;
    fs.read(child.statusFd, chunk, 0, chunk.length, null, (err, n) => {
      reading = false;
      if (closeWhenIdle) { closeFds(); return; }
      if (err || n === 0) { finish(); return; }
      buffered += chunk.toString('utf8', 0, n);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const parsed = parseStatusLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (parsed) deliver(parsed);
      }
      if (waiters.length > 0) readMore();
    });
  };

  return {
    next() {
      const s = queue.shift();
      if (s) return Promise.resolve(s);
      if (closed) return Promise.resolve(undefined);
      const line = new Promise<ShimStatus | undefined>((resolve) => waiters.push(resolve));
      readMore();
      return line;
    },
    close() {
      if (closed) return;
      closed = true;
      while (waiters.length) waiters.shift()!(undefined);
      if (reading) closeWhenIdle = true; // the read in flight closes the fds when it returns
      else closeFds();
    },
  };
}

function readAvailable(fd: number): string {
  if (fd < 0) return '';
  const buf = Buffer.alloc(8192);
  let text = '';
  for (;;) {
    let n: number;
    try { n = fs.readSync(fd, buf, 0, buf.length, null); } catch { break; } // EAGAIN: all there is
    if (n <= 0) break;
    text += buf.toString('utf8', 0, n);
  }
  return text;
}

// The first shim process exits right after forking the monitor; reap it so no zombie stays
// behind in a long-running strata (the TUI). Timers are unref'd: a CLI that is done exits.
function reapLater(pid: number, tries: number): void {
  try {
    if (reap(pid) !== null) return;
  } catch { return; } // not our child any more
  if (tries <= 0) return;
  setTimeout(() => reapLater(pid, tries - 1), REAP_RETRY_MS).unref();
}
