// Reads the shim's json-file log: tail, since/until, and follow across rotation
// (container.log → container.log.1 …) without losing or repeating a line.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEntry, LogReadOptions } from '../api.js';

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

function rotatedFiles(logPath: string): string[] {
  const files: string[] = [];
  for (let i = 1; ; i++) {
    const f = `${logPath}.${i}`;
    if (!fs.existsSync(f)) break;
    files.unshift(f); // oldest first
  }
  return files;
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

export async function* readLog(logPath: string, opts: LogReadOptions, isRunning: () => boolean): AsyncGenerator<LogEntry> {
  // Snapshot: every complete line now on disk.
  const entries: LogEntry[] = [];
  for (const file of rotatedFiles(logPath)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const e = parseLine(line);
      if (e && accept(e, opts)) entries.push(e);
    }
  }
  let fd: number | undefined;
  let offset = 0;
  let ino = 0;
  let partial = '';
  try {
    fd = fs.openSync(logPath, 'r');
    ino = fs.fstatSync(fd).ino;
    const text = fs.readFileSync(fd, 'utf8');
    offset = Buffer.byteLength(text);
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    offset -= Buffer.byteLength(partial);
    partial = '';
    for (const line of lines) {
      const e = parseLine(line);
      if (e && accept(e, opts)) entries.push(e);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const start = opts.tail !== undefined && opts.tail >= 0 ? Math.max(0, entries.length - opts.tail) : 0;
  for (let i = start; i < entries.length; i++) yield entries[i];
  if (!opts.follow) {
    if (fd !== undefined) fs.closeSync(fd);
    return;
  }

  // Follow: read what is appended; on rotation, finish the old file, then open the new one.
  const buf = Buffer.alloc(64 * 1024);
  let watcher: fs.FSWatcher | undefined;
  let wake: (() => void) | undefined;
  try {
    watcher = fs.watch(logPath.slice(0, logPath.lastIndexOf('/')), () => wake?.());
  } catch { /* poll only */ }
  try {
    let idleChecks = 0;
    let drainedOld = false;
    for (;;) {
      if (opts.signal?.aborted) return;
      let progressed = false;
      if (fd !== undefined) {
        for (;;) {
          const n = fs.readSync(fd, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          progressed = true;
          const text = partial + buf.subarray(0, n).toString('utf8');
          const lines = text.split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            const e = parseLine(line);
            if (e && accept(e, opts)) yield e;
          }
        }
      }
      // rotated away (new inode at the path) or not yet created
      let currentIno = 0;
      try { currentIno = fs.statSync(logPath).ino; } catch { /* not there */ }
      if (currentIno && currentIno !== ino) {
        // drain the old file once more: lines may have landed between our read and the rename
        if (fd !== undefined && !drainedOld) { drainedOld = true; continue; }
        drainedOld = false;
        if (fd !== undefined) fs.closeSync(fd);
        fd = fs.openSync(logPath, 'r');
        ino = currentIno;
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
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        wake = () => { clearTimeout(t); resolve(); };
        opts.signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
  } finally {
    watcher?.close();
    if (fd !== undefined) fs.closeSync(fd);
    await sleep(0);
  }
}
