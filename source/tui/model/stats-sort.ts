// The stats table's order: by name, or the biggest first by CPU, memory or network traffic
// (received + sent), as top sorts; a key cycles through them.
import type { StatsSample } from '../../engine/api.js';

export const STATS_SORT_KEYS = ['name', 'cpu', 'memory', 'net'] as const;
export type StatsSortKey = (typeof STATS_SORT_KEYS)[number];

export const STATS_SORT_TITLES: Record<StatsSortKey, string> = { name: 'NAME', cpu: 'CPU %', memory: 'MEM', net: 'NET I/O' };

export function nextStatsSort(key: StatsSortKey): StatsSortKey {
  return STATS_SORT_KEYS[(STATS_SORT_KEYS.indexOf(key) + 1) % STATS_SORT_KEYS.length];
}

function measure(key: Exclude<StatsSortKey, 'name'>, sample: StatsSample | undefined): number {
  if (!sample) return -1; // not sampled yet: last
  switch (key) {
    case 'cpu': return sample.cpuPercent;
    case 'memory': return sample.memoryUsage;
    case 'net': return sample.netRx + sample.netTx;
  }
}

export function sortStatsRows<T extends { name: string; samples: readonly StatsSample[] }>(rows: readonly T[], key: StatsSortKey): T[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  if (key === 'name') return [...rows].sort(byName);
  const value = (r: T) => measure(key, r.samples[r.samples.length - 1]);
  return [...rows].sort((a, b) => value(b) - value(a) || byName(a, b));
}
