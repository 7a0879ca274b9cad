// The events journal: every strata process appends what happened to one file in the store (one
// JSON line per event, docker's message shape), so `strata events` sees other processes' events
// too. Bounded like docker's ring of 1000 events, but on disk: past maxBytes the file becomes
// events.1.jsonl (the previous one dropped) and a new one starts.
import fs from 'node:fs';
import path from 'node:path';
import type { EventMessage } from '../api.js';

export const JOURNAL_MAX_BYTES = 10 * 1024 * 1024;

export class EventJournal {
  readonly dir: string;
  readonly current: string;
  readonly previous: string;

  constructor(root: string, private readonly maxBytes = JOURNAL_MAX_BYTES) {
    this.dir = path.join(root, 'events');
    this.current = path.join(this.dir, 'events.jsonl');
    this.previous = path.join(this.dir, 'events.1.jsonl');
  }

  /** One write(2) on an O_APPEND descriptor per line: lines of concurrent writers never interleave. */
  append(message: EventMessage): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o711 });
      this.rotateIfFull();
      fs.appendFileSync(this.current, `${JSON.stringify(message)}\n`, { mode: 0o600 });
    } catch { /* an event that cannot be journaled must not fail what it reports */ }
  }

  private rotateIfFull(): void {
    let size: number;
    try { size = fs.statSync(this.current).size; } catch { return; }
    // Two processes may both see it full: the second rename finds the file already moved
    // (ENOENT) or moves a nearly empty one; neither loses more than the other's last lines.
    if (size >= this.maxBytes) {
      try { fs.renameSync(this.current, this.previous); } catch { /* another process rotated */ }
    }
  }

  /** Every journaled event, oldest first (the previous file, then the current one). */
  readAll(): EventMessage[] {
    return [this.previous, this.current].flatMap((file) => parseLines(readOr(file)));
  }
}

export function readOr(file: string): string {
  try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

export function parseLines(text: string): EventMessage[] {
  const out: EventMessage[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try { out.push(JSON.parse(line) as EventMessage); } catch { /* a torn line of a crashed writer */ }
  }
  return out;
}
