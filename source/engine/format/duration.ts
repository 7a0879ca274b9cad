// docker's words for a span of time: go-units HumanDuration ("Less than a second", "About a
// minute", "3 hours"…), "… ago", and the CreatedAt timestamp.
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** How long since `when` in docker's words; 0 for a time not given or in the future. */
export function humanSince(when: string | number, now: number): string {
  const t = typeof when === 'string' ? Date.parse(when) : when;
  return humanDuration(Number.isNaN(t) ? 0 : Math.max(0, now - t));
}

export function timeAgo(when: string | Date, now: Date = new Date()): string {
  const t = typeof when === 'string' ? Date.parse(when) : when.getTime();
  if (Number.isNaN(t)) return '';
  return `${humanSince(t, now.getTime())} ago`;
}

// docker's CreatedAt column: "2024-05-01 12:00:00 +0000 UTC" in local time.
export function dockerTimestamp(when: string): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return when;
  const pad = (n: number) => String(n).padStart(2, '0');
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const zone = Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)} ${zone === 'GMT' ? 'UTC' : zone}`;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// Go's time.ParseDuration: "10s", "1h30m", "1.5h", "250ms". Returns milliseconds.
export function parseGoDuration(raw: string): number | undefined {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(raw);
  if (!m) return undefined;
  let total = 0;
  for (const part of raw.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * DURATION_UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}
