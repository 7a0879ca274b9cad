// The uptime column between list reads: the engine words it ("Up 5 seconds") as of the read;
// from that wording and the read's time the start is known to within the wording's unit,
// and the words are drawn again from it as time passes — no re-listing just for the clock.
import { humanDuration } from '../../engine/containers/summary.js';

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_592_000_000, year: 31_536_000_000 };

/** How long "Up …" says it has been up, in ms; undefined when the text is not an uptime. */
export function upForMs(statusText: string): number | undefined {
  const m = /^Up (.+?)(?: \(Paused\))?$/.exec(statusText);
  if (!m) return undefined;
  const words = m[1];
  if (words === 'Less than a second') return 0;
  if (words === 'About a minute') return UNIT_MS.minute;
  if (words === 'About an hour') return UNIT_MS.hour;
  const n = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(words);
  return n ? Number(n[1]) * UNIT_MS[n[2]] : undefined;
}

/** When a container came up, estimated from its status text read at `readAt`. */
export function upSince(statusText: string, readAt: number): number | undefined {
  const ms = upForMs(statusText);
  return ms === undefined ? undefined : readAt - ms;
}

export function uptimeText(since: number | undefined, now: number): string {
  return since === undefined ? '' : humanDuration(Math.max(0, now - since));
}

/** How soon the words of the youngest uptime shown change: the clock's tick for the column. */
export function uptimeTickMs(sinces: ReadonlyArray<number | undefined>, now: number): number | undefined {
  const ages = sinces.filter((s): s is number => s !== undefined).map((s) => now - s);
  if (ages.length === 0) return undefined;
  const youngest = Math.min(...ages);
  if (youngest < UNIT_MS.minute) return 10_000;
  if (youngest < UNIT_MS.hour) return 60_000;
  return 600_000;
}
