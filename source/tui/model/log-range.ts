// How far back a log is read when it opens: the presets the logs pane cycles through, as
// engine read options and as the `strata logs` flags that do the same.
import type { LogReadOptions } from '../../engine/api.js';

export interface LogRange {
  label: string;
  tail?: number;
  sinceMs?: number; // this long before opening
  sinceTime?: number; // …or since this moment (ms since the epoch)
}

export function logRanges(defaultTail: number): LogRange[] {
  return [
    { label: `last ${defaultTail}`, tail: defaultTail },
    { label: 'last 100', tail: 100 },
    { label: 'since 5m', sinceMs: 5 * 60_000 },
    { label: 'since 1h', sinceMs: 3_600_000 },
    { label: 'all' },
  ];
}

export function readOptions(range: LogRange, now: number): LogReadOptions {
  const since = range.sinceTime ?? (range.sinceMs !== undefined ? now - range.sinceMs : undefined);
  return { ...(range.tail !== undefined ? { tail: range.tail } : {}), ...(since !== undefined ? { since: new Date(since) } : {}) };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A span as `strata logs --since` takes it: 90s, 10m, 1h30m, 2d. */
function durationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(n) * UNIT_MS[unit];
  return ms;
}

/**
 * What the range prompt takes: a line count (`500`, the tail), a span back from now (`10m`,
 * `1h30m`), a date-time (`2024-05-01T12:00`, local time like docker's), or `all`; otherwise
 * one line saying what it takes.
 */
export function parseRange(input: string): { range: LogRange } | { error: string } {
  const text = input.trim();
  if (text === 'all') return { range: { label: 'all' } };
  if (/^\d+$/.test(text)) return { range: { label: `last ${Number(text)}`, tail: Number(text) } };
  const ms = durationMs(text);
  if (ms !== undefined) return { range: { label: `since ${text}`, sinceMs: ms } };
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = new Date(text.length === 10 ? `${text}T00:00:00` : text).getTime();
    if (!Number.isNaN(t)) return { range: { label: `since ${text}`, sinceTime: t } };
  }
  return { error: `read back ${JSON.stringify(text)}: expected a line count (500), a span (10m, 1h30m), a date-time (2024-05-01T12:00) or all` };
}

export function rangeFlags(range: LogRange): string[] {
  if (range.tail !== undefined) return ['--tail', String(range.tail)];
  if (range.sinceTime !== undefined) return ['--since', new Date(range.sinceTime).toISOString()];
  if (range.sinceMs !== undefined) {
    const ms = range.sinceMs;
    return ['--since', ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`];
  }
  return [];
}
