// The last N stats samples of each container, for sparklines. Bounded per container, and
// containers that are gone are forgotten.
import type { StatsSample } from '../../engine/api.js';

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
