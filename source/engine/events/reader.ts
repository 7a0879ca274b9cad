// Reading the events journal: what it holds up to now, then (following) each line another
// process appends, woken by a watch on the journal's folder, which also sees the rotation.
import fs from 'node:fs';
import type { EventMessage } from '../api.js';
import { type EventJournal, parseLines, readOr } from './journal.js';

const POLL_MS = 1000; // in case a watch event is missed (fs.watch is best effort)

interface Position { fd?: number; ino?: number; offset: number; partial: string }

export interface JournalReadOptions {
  follow: boolean;
  fromEnd?: boolean; // only what is appended from now on
  signal?: AbortSignal;
}

/** The journal's events, oldest first; with follow, then every new one until the signal aborts. */
export async function* readJournal(journal: EventJournal, opts: JournalReadOptions): AsyncGenerator<EventMessage> {
  fs.mkdirSync(journal.dir, { recursive: true, mode: 0o711 });
  let wake: (() => void) | undefined;
  const watcher = opts.follow ? watchQuietly(journal.dir, () => wake?.()) : undefined;
  const onAbort = () => wake?.();
  opts.signal?.addEventListener('abort', onAbort);
  const pos: Position = { offset: 0, partial: '' };
  try {
    openCurrent(journal, pos);
    if (opts.fromEnd) skipToEnd(pos);
    // the previous file is read once: it is complete, nobody appends to it
    else yield* parseLines(readOr(journal.previous));
    for (;;) {
      yield* drain(pos);
      if (reopenIfRotated(journal, pos)) continue;
      if (!opts.follow || opts.signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => { clearTimeout(timer); resolve(); };
      });
      if (opts.signal?.aborted) return;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    watcher?.close();
    if (pos.fd !== undefined) fs.closeSync(pos.fd);
  }
}

function watchQuietly(dir: string, onChange: () => void): fs.FSWatcher | undefined {
  try {
    const w = fs.watch(dir, onChange);
    w.on('error', () => {});
    return w;
  } catch {
    return undefined; // polling still works
  }
}

function openCurrent(journal: EventJournal, pos: Position): void {
  try {
    pos.fd = fs.openSync(journal.current, 'r');
    pos.ino = fs.fstatSync(pos.fd).ino;
  } catch {
    pos.fd = undefined;
    pos.ino = undefined;
  }
  pos.offset = 0;
  pos.partial = '';
}

function skipToEnd(pos: Position): void {
  if (pos.fd !== undefined) pos.offset = fs.fstatSync(pos.fd).size;
}

/** The complete lines appended since the last read; a line still being written waits. */
function drain(pos: Position): EventMessage[] {
  if (pos.fd === undefined) return [];
  const size = fs.fstatSync(pos.fd).size;
  if (size <= pos.offset) return [];
  const buf = Buffer.alloc(size - pos.offset);
  const n = fs.readSync(pos.fd, buf, 0, buf.length, pos.offset);
  pos.offset += n;
  const text = pos.partial + buf.subarray(0, n).toString('utf8');
  const end = text.lastIndexOf('\n');
  pos.partial = text.slice(end + 1);
  return parseLines(text.slice(0, end + 1));
}

/** After a rotation the descriptor still reads the old file (now events.1) to its end; then the new one. */
function reopenIfRotated(journal: EventJournal, pos: Position): boolean {
  let ino: number | undefined;
  try { ino = fs.statSync(journal.current).ino; } catch { return false; }
  if (ino === pos.ino) return false;
  if (pos.fd !== undefined) fs.closeSync(pos.fd);
  openCurrent(journal, pos);
  return true;
}
