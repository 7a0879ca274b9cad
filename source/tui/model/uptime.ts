// The uptime column between list reads: words drawn from the container's start time as time
// passes, and how often they change — no re-listing just for the clock.
import { humanSince } from '../../engine/format/duration.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** When a container came up, in ms since the epoch; undefined when it never did. */
export function upSinceMs(startedAt: string): number | undefined {
  const t = Date.parse(startedAt);
  return Number.isNaN(t) || t <= 0 ? undefined : t;
}

export function uptimeText(since: number | undefined, now: number): string {
  return since === undefined ? '' : humanSince(since, now);
}

/** How soon the words of the youngest uptime shown change: the clock's tick for the column. */
export function uptimeTickMs(sinces: ReadonlyArray<number | undefined>, now: number): number | undefined {
  const ages = sinces.filter((s): s is number => s !== undefined).map((s) => now - s);
  if (ages.length === 0) return undefined;
  const youngest = Math.min(...ages);
  if (youngest < MINUTE_MS) return 10_000;
  if (youngest < HOUR_MS) return 60_000;
  return 600_000;
}
