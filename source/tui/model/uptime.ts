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

/** How long until the words of an age change: docker's seconds, minutes, then hours rounded at the half. */
export function ageWordsChangeInMs(age: number): number {
  if (age < 0) return -age; // a clock a little behind the one that wrote the time
  if (age < MINUTE_MS) return 1000 - (age % 1000);
  if (age < HOUR_MS) return MINUTE_MS - (age % MINUTE_MS);
  return HOUR_MS - ((age + HOUR_MS / 2) % HOUR_MS);
}

// Containers started a fraction of a second apart change their words at as many moments: the
// clock ticks at most once a second (each row late by under a second), not at every one of them.
const MIN_TICK_MS = 1000;

/** How soon the words of any of these times change: when the clock must tick next for the shown text. */
export function uptimeTickMs(sinces: ReadonlyArray<number | undefined>, now: number): number | undefined {
  const waits = sinces.filter((s): s is number => s !== undefined && Number.isFinite(s)).map((s) => ageWordsChangeInMs(now - s));
  return waits.length === 0 ? undefined : Math.max(MIN_TICK_MS, Math.min(...waits));
}
