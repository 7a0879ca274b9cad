// Reads the shim's json-file log: tail, since/until, and follow across rotation
// (container.log → container.log.1 …) without losing or repeating a line.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEntry, LogReadOptions } from '../api.js';
import { lastLineEnd, linesBackward, linesForward } from './log-file-lines.js';

interface RawEntry { log: string; stream: 'stdout' | 'stderr'; time: string }

function parseLine(line: string): LogEntry | undefined {
  if (!line) return undefined;
  try {
    const raw = JSON.parse(line) as RawEntry;
    return { stream: raw.stream, time: raw.time, line: raw.log };
  } catch {
    return undefined; // a torn last line after a crash is skipped, not fatal
  }
}

interface OpenLog { fd: number; ino: number }

function inodeAt(file: string): number {
  try { return fs.statSync(file).ino; } catch { return 0; }
}

function closeAll(files: OpenLog[]): void {
  for (const f of files) fs.closeSync(f.fd);
}

// The current file and its rotated predecessors, newest first, each held open so a rotation
// while we read cannot swap a file under us. The shim renames container.log → .1 → .2 …
// oldest first, so a gap in the numbers (.2 missing, .3 there) is a rotation half done: the
// set is taken again then, and if a name moved while we were opening them.
const CHAIN_ATTEMPTS = 50;
const pause = new Int32Array(new SharedArrayBuffer(4));

function openChain(logPath: string): OpenLog[] {
  for (let attempt = 0; ; attempt++) {
    const chain: OpenLog[] = [];
    const names: string[] = [];
    let midRotation = false;
    for (let i = 0; ; i++) {
      const name = i === 0 ? logPath : `${logPath}.${i}`;
      let fd: number;
      try {
        fd = fs.openSync(name, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') { closeAll(chain); throw err; }
        if (i === 0) continue; // not written yet, or between rename and re-create
        midRotation = fs.existsSync(`${logPath}.${i + 1}`);
        break;
      }
      chain.push({ fd, ino: fs.fstatSync(fd).ino });
      names.push(name);
    }
    const settled = !midRotation && names.every((name, i) => inodeAt(name) === chain[i].ino);
    if (settled || attempt >= CHAIN_ATTEMPTS) return chain;
    closeAll(chain);
    Atomics.wait(pause, 0, 0, 1); // the shim is between two renames: let it finish
  }
}

function timeOf(entry: LogEntry): number {
  // RFC3339Nano: Date.parse keeps milliseconds, enough for --since/--until
  return Date.parse(entry.time);
}

function accept(entry: LogEntry, opts: LogReadOptions): boolean {
  if (opts.since && timeOf(entry) < opts.since.getTime()) return false;
  if (opts.until && timeOf(entry) > opts.until.getTime()) return false;
  return true;
}

function* parseText(text: string, opts: LogReadOptions): Generator<LogEntry> {
  for (const line of text.split('\n')) {
    const e = parseLine(line);
    if (e && accept(e, opts)) yield e;
  }
}

function acceptedLine(line: string, opts: LogReadOptions): LogEntry | undefined {
  const e = parseLine(line);
  return e && accept(e, opts) ? e : undefined;
}

/** The last `limit` accepted entries of the files (newest first, each to its end offset), in order. */
function tailOf(files: ReadonlyArray<{ fd: number; end: number }>, limit: number, opts: LogReadOptions): LogEntry[] {
  const newestFirst: LogEntry[] = [];
  for (const { fd, end } of files) {
    for (const line of linesBackward(fd, end)) {
      if (newestFirst.length >= limit) break;
      const e = acceptedLine(line, opts);
      if (e) newestFirst.push(e);
    }
  }
  return newestFirst.reverse();
}

export async function* readLog(logPath: string, opts: LogReadOptions, isRunning: () => boolean): AsyncGenerator<LogEntry> {
  // Snapshot: every complete line now on disk, oldest file first; the newest stays open, and
  // the follower goes on from the end of its last complete line.
  const chain = openChain(logPath);
  const files = chain.map((f, i) => ({ fd: f.fd, end: i === 0 ? lastLineEnd(f.fd, fs.fstatSync(f.fd).size) : fs.fstatSync(f.fd).size }));
  // kept even if it was rotated meanwhile: the follower finishes it, then reads what came after
  let fd: number | undefined = chain[0]?.fd;
  let ino = chain[0]?.ino ?? 0;
  let offset = files[0]?.end ?? 0;
  let partial = '';
  let snapshotRead = false;
  try {
    if (opts.tail !== undefined && opts.tail >= 0) {
      yield* tailOf(files, opts.tail, opts);
    } else {
      for (let i = files.length - 1; i >= 0; i--) {
        for (const line of linesForward(files[i].fd, files[i].end)) {
          const e = acceptedLine(line, opts);
          if (e) yield e;
        }
      }
    }
    snapshotRead = true;
  } finally {
    closeAll(chain.slice(1));
    // the follower owns the newest file from here on; a reader stopped early closes it now
    if ((!opts.follow || !snapshotRead) && fd !== undefined) fs.closeSync(fd);
  }
  opts.caughtUp?.();
  if (!opts.follow) return;

  // Follow: read what is appended; on rotation, finish our file, then every file rotated after
  // it (several rotations can pass between two looks), then go on with the new current file.
  const buf = Buffer.alloc(64 * 1024);
  const watchers: fs.FSWatcher[] = [];
  let wake: (() => void) | undefined;
  // The log's folder wakes us for new lines and rotations, the container's folder when the
  // shim writes its exit file; the timer is a fallback (a shim killed outright writes nothing),
  // so it can be slow when the watchers stand.
  const logDir = path.dirname(logPath);
  for (const dir of [logDir, path.dirname(logDir)]) {
    try {
      watchers.push(fs.watch(dir, () => wake?.()).on('error', () => wake?.()));
    } catch { /* poll only */ }
  }
  const fallbackMs = watchers.length === 2 ? 1000 : 250;
  try {
    let idleChecks = 0;
    for (;;) {
      if (opts.signal?.aborted) return;
      let progressed = false;
      const drain = function* (this: void, from: number): Generator<LogEntry> {
        for (;;) {
          const n = fs.readSync(from, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          progressed = true;
          const text = partial + buf.subarray(0, n).toString('utf8');
          const cut = text.lastIndexOf('\n') + 1;
          partial = text.slice(cut);
          yield* parseText(text.slice(0, cut), opts);
        }
      };
      if (fd !== undefined) yield* drain(fd);
      const currentIno = inodeAt(logPath);
      if (currentIno && currentIno !== ino) {
        // lines the shim appended between our last read and its rename are still in our file
        if (fd !== undefined) yield* drain(fd);
        const next = openChain(logPath);
        const ours = next.findIndex((f) => f.ino === ino);
        // files newer than ours, oldest first; all of them if ours was rotated out entirely (or
        // there was none: the log did not exist yet)
        const newer = (ours === -1 ? next : next.slice(0, ours)).reverse();
        closeAll(next.filter((f) => !newer.includes(f)));
        if (fd !== undefined) fs.closeSync(fd);
        fd = undefined;
        for (const f of newer.slice(0, -1)) {
          yield* parseText(fs.readFileSync(f.fd, 'utf8'), opts);
          fs.closeSync(f.fd);
        }
        const newest = newer.at(-1);
        if (newest) { fd = newest.fd; ino = newest.ino; }
        offset = 0;
        partial = '';
        continue;
      }
      // truncated in place (max-file=1): start again from its beginning
      if (fd !== undefined && fs.fstatSync(fd).size < offset) { offset = 0; partial = ''; continue; }
      if (progressed) { idleChecks = 0; continue; }
      if (!isRunning()) {
        // one more pass after exit: the shim flushes its last lines before exiting
        if (++idleChecks > 1) return;
        continue;
      }
      // one abort listener per wait, removed after it: a follow of hours must not pile them up
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          opts.signal?.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        };
        const t = setTimeout(done, fallbackMs);
        wake = done;
        opts.signal?.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    for (const w of watchers) w.close();
    if (fd !== undefined) fs.closeSync(fd);
    await sleep(0);
  }
}
