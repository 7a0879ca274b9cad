// A bounded ring buffer of log lines. Memory stays flat however long a container logs:
// once full (in lines, or in characters for very long lines), each new line replaces the
// oldest. Every line gets a sequence number so a scroll position survives lines falling off
// the front. A line is kept as it came and cleaned (escapes removed, colours split from the
// plain text) the first time something reads it: a flood costs a slice per line, and only the
// lines drawn, searched or saved are ever cleaned.
import type { LogEntry } from '../../engine/api.js';
import { stripSgr } from './sgr.js';

export interface LogLine {
  seq: number;
  stream: 'stdout' | 'stderr';
  time: string;
  text: string; // plain: what search, filter, copy and save see
  styled?: string; // the text with its SGR escapes (colours) kept, when it had any
  source?: string; // the container's name, in a merged view of several
}

// A single line of several megabytes would defeat the bound on line count.
export const MAX_LINE_CHARS = 4096;
// Room for the escapes of a coloured line as long as the longest kept.
const MAX_RAW_CHARS = MAX_LINE_CHARS * 3;

// CSI/OSC sequences and other control bytes from a container must not reach our terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f]/g;

// SGR (colours) is the one escape kept, for the view to draw or strip: the same sequences as
// CONTROL but for a CSI ending in `m` with only digits, `;` and `:` (one pass, no callback: a
// flood of coloured lines is cleaned at several times its rate).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_SGR = /\x1b\[(?![0-9;:]*m)(?:[0-?]*[ -/]*[@-~])?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[^[\]]|\x1b$|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;

const cut = (text: string) => (text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS - 1) + '…' : text);
const expandTabs = (text: string) => (text.includes('\t') ? text.replace(/\t/g, '    ') : text);

/** A raw log line as the view holds it: plain text, and the same with its colours when it had any. */
export function cleanLogLine(raw: string): { text: string; styled?: string } {
  let text = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  if (text.length > MAX_RAW_CHARS) text = text.slice(0, MAX_RAW_CHARS);
  if (!text.includes('\x1b')) return { text: cut(expandTabs(text.replace(CONTROL, ''))) };
  const styled = expandTabs(text.replace(CONTROL_BUT_SGR, ''));
  if (!styled.includes('\x1b')) return { text: cut(styled) };
  const plain = stripSgr(styled);
  // Only SGR is left in `styled`; the plain text must hold no escape at all, whatever came in.
  return plain.includes('\x1b') ? { text: cut(plain.replace(CONTROL, '')) } : { text: cut(plain), styled };
}

export function cleanLogText(raw: string): string {
  return cleanLogLine(raw).text;
}

/** A buffered line: its text and colours worked out on first read, then the raw text let go. */
class BufferedLine implements LogLine {
  private raw: string | undefined;
  private cleaned: { text: string; styled?: string } | undefined;

  constructor(readonly seq: number, readonly stream: 'stdout' | 'stderr', readonly time: string, raw: string, readonly source: string | undefined) {
    this.raw = raw;
  }

  private clean(): { text: string; styled?: string } {
    if (!this.cleaned) {
      this.cleaned = cleanLogLine(this.raw ?? '');
      this.raw = undefined;
    }
    return this.cleaned;
  }

  get text(): string {
    return this.clean().text;
  }

  get styled(): string | undefined {
    return this.clean().styled;
  }
}

/** Characters a buffer holds at most, counted as they came: 10,000 lines of 12,000 characters would be 120–240 MB. */
export const DEFAULT_MAX_CHARS = 24_000_000;

export class LogBuffer {
  private readonly slots: Array<LogLine | undefined>;
  private start = 0; // slot of the oldest line
  private count = 0;
  private nextSeq = 0;
  private readonly sizes: Int32Array; // raw characters of each slot's line
  private chars = 0;

  constructor(readonly capacity: number, readonly maxChars = DEFAULT_MAX_CHARS) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
    this.slots = new Array(capacity);
    this.sizes = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Sequence number of the oldest line held (equal to nextSeq when empty). */
  get firstSeq(): number {
    return this.nextSeq - this.count;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  push(entry: LogEntry, source?: string): LogLine {
    const raw = entry.line.length > MAX_RAW_CHARS ? entry.line.slice(0, MAX_RAW_CHARS) : entry.line;
    const line = new BufferedLine(this.nextSeq++, entry.stream, entry.time, raw, source);
    // The oldest lines go while the new one would take the buffer past its characters.
    while (this.count > 0 && this.chars + raw.length > this.maxChars) this.dropOldest();
    if (this.count === this.capacity) this.dropOldest();
    const slot = (this.start + this.count) % this.capacity;
    this.slots[slot] = line;
    this.sizes[slot] = raw.length;
    this.chars += raw.length;
    this.count++;
    return line;
  }

  private dropOldest(): void {
    this.chars -= this.sizes[this.start];
    this.slots[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  /** The i-th line held, 0 being the oldest. */
  at(index: number): LogLine | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.slots[(this.start + index) % this.capacity];
  }

  bySeq(seq: number): LogLine | undefined {
    return this.at(seq - this.firstSeq);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.chars = 0;
  }

  *[Symbol.iterator](): IterableIterator<LogLine> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }
}
