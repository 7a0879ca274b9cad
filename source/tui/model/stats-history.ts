// The last N stats samples of each container, for sparklines. Bounded per container, and
// containers that are gone are forgotten.
import type { StatsSample } from '../../engine/api.js';
import { formatBytes, formatPercent } from './format.js';

export type StatsHistory = ReadonlyMap<string, readonly StatsSample[]>;

export function addSamples(history: StatsHistory, samples: readonly StatsSample[], keep: number, alive: ReadonlySet<string>): Map<string, StatsSample[]> {
  const next = new Map<string, StatsSample[]>();
  for (const [id, list] of history) if (alive.has(id)) next.set(id, list as StatsSample[]);
  for (const s of samples) {
    const list = [...(next.get(s.id) ?? []), s];
    next.set(s.id, list.length > keep ? list.slice(list.length - keep) : list);
  }
  return next;
}

export function latest(history: StatsHistory): Map<string, StatsSample | undefined> {
  const out = new Map<string, StatsSample | undefined>();
  for (const [id, list] of history) out.set(id, list[list.length - 1]);
  return out;
}

/** What a table row shows of a sample, as it shows it: equal keys draw the same cells. */
export function shownAs(sample: StatsSample | undefined): string {
  if (!sample) return '';
  return `${formatPercent(sample.cpuPercent)}|${formatBytes(sample.memoryUsage)}|${sample.pids}|${formatBytes(sample.blockRead)}|${formatBytes(sample.blockWrite)}`;
}

/** Whether `next` would change any table cell drawn from `before` (new or gone containers included). */
export function changesTables(before: StatsHistory, next: StatsHistory): boolean {
  if (before.size !== next.size) return true;
  for (const [id, list] of next) {
    const old = before.get(id);
    if (!old || shownAs(old[old.length - 1]) !== shownAs(list[list.length - 1])) return true;
  }
  return false;
}
