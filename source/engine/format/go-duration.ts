// Go's time.ParseDuration ("1m30s", "500ms"), as docker's --health-* flags and HEALTHCHECK take it.

/** Nanoseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}
