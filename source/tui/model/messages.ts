// The status bar's messages as plain data: how long one stays (long enough to read it), the
// lines it takes at a width (an error is wrapped, never cut before its meaning), and the
// history the `!` overlay shows with every message and failed command in full.

export type MessageKind = 'info' | 'ok' | 'error';

export interface StatusMessage {
  text: string; // first line: what the status bar shows
  kind: MessageKind;
  at: number; // ms epoch
  detail?: string; // the whole error when it had more lines than the first
}

export interface CommandLogEntry {
  at: number;
  command: string;
  outcome: 'running' | 'ok' | 'error';
  error?: string; // the engine's words when it failed
}

export const STATUS_MAX_LINES = 3;
const ERROR_PREFIX = 'error: ';

/** How long a message stays on the status bar: a reading time from its length; errors longer. */
export function messageLifetimeMs(message: Pick<StatusMessage, 'text' | 'kind'>): number {
  const reading = 60 * message.text.length; // ~ 200 words a minute
  return message.kind === 'error' ? Math.min(30_000, 8_000 + reading) : Math.min(15_000, 4_000 + reading);
}

/** Word-wraps text to a width; a word wider than the width is cut across lines. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(' ')) {
      while (word.length > w) {
        if (line) lines.push(line);
        line = '';
        lines.push(word.slice(0, w));
        word = word.slice(w);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= w) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** The status bar's lines for a message: wrapped to at most STATUS_MAX_LINES, the rest pointed to the history. */
export function statusLines(message: Pick<StatusMessage, 'text' | 'kind'>, width: number): string[] {
  const text = message.kind === 'error' ? ERROR_PREFIX + message.text : message.text;
  const lines = wrapText(text, width);
  if (lines.length <= STATUS_MAX_LINES) return lines;
  const more = ' … (! shows it all)';
  const kept = lines.slice(0, STATUS_MAX_LINES);
  const last = kept[STATUS_MAX_LINES - 1];
  kept[STATUS_MAX_LINES - 1] = last.slice(0, Math.max(0, width - more.length)) + more;
  return kept;
}

function clock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

const MARK = { info: ' ', ok: '✓', error: '✗' } as const;

/** Every message, newest first, each whole and wrapped under its time. */
export function messageHistoryLines(messages: readonly StatusMessage[], width: number): string[] {
  if (messages.length === 0) return ['no messages yet'];
  const indent = '           ';
  return [...messages].reverse().flatMap((m) => {
    const whole = m.detail ?? m.text;
    const [first, ...rest] = wrapText(whole, Math.max(10, width - indent.length - 4));
    return [`${clock(m.at)} ${MARK[m.kind]} ${first}`, ...rest.map((l) => indent + l)];
  });
}

/** A command log line: the command, and beside a failed one the engine's reason. */
export function commandLogText(entry: CommandLogEntry): string {
  return entry.outcome === 'error' && entry.error ? `${entry.command}  → ${entry.error}` : entry.command;
}
