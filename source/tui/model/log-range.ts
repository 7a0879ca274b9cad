// How far back a log is read when it opens: the presets the logs pane cycles through, as
// engine read options and as the `strata logs` flags that do the same.
import type { LogReadOptions } from '../../engine/api.js';

export interface LogRange {
  label: string;
  tail?: number;
  sinceMs?: number; // this long before opening
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
  return { ...(range.tail !== undefined ? { tail: range.tail } : {}), ...(range.sinceMs !== undefined ? { since: new Date(now - range.sinceMs) } : {}) };
}

export function rangeFlags(range: LogRange): string[] {
  if (range.tail !== undefined) return ['--tail', String(range.tail)];
  if (range.sinceMs !== undefined) return ['--since', range.sinceMs % 3_600_000 === 0 ? `${range.sinceMs / 3_600_000}h` : `${range.sinceMs / 60_000}m`];
  return [];
}
