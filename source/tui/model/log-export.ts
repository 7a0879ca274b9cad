// Log lines as text for a file or the clipboard: what the screen shows, without the screen.
import type { LogLine } from './log-buffer.js';

export function logLineText(line: LogLine, timestamps: boolean): string {
  return [line.source, timestamps ? line.time : undefined, line.text].filter((part) => part !== undefined).join(' ');
}

export function logFileText(lines: readonly LogLine[], timestamps: boolean): string {
  return lines.map((line) => logLineText(line, timestamps) + '\n').join('');
}

/** A file name for a saved log: the containers' names and the time, in the working directory. */
export function defaultLogFileName(names: readonly string[], now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${names.join('+') || 'log'}-${stamp}.log`;
}
