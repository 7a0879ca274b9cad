// HEALTHCHECK's meaning: `NONE`, or `CMD` in CMD's own forms with --interval/--timeout/
// --start-period/--start-interval (Go durations) and --retries, as docker stores it.
import type { HealthConfig } from '../api.js';
import { execForm } from './exec-form.js';

type Fail = (why: string) => Error;

export function healthcheck(ins: { args: string; flags: Record<string, string[]> }, fail: Fail): HealthConfig {
  const words = ins.args.trim();
  if (/^NONE$/i.test(words)) {
    if (Object.keys(ins.flags).length > 0) throw fail('HEALTHCHECK NONE takes no options');
    return { Test: ['NONE'] };
  }
  const m = /^CMD\s+([\s\S]+)$/i.exec(words);
  if (!m) throw fail('HEALTHCHECK requires CMD <command> or NONE');
  const rest = m[1].trim();
  const json = rest.startsWith('[') ? execForm(rest, fail) : undefined; // CMD's own forms
  const health: HealthConfig = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
  const durations: Record<string, keyof HealthConfig> = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' };
  for (const [flag, values] of Object.entries(ins.flags)) {
    const value = values.at(-1)!;
    if (flag === 'retries') {
      if (!/^\d+$/.test(value)) throw fail(`--retries must be a whole number, got ${JSON.stringify(value)}`);
      health.Retries = Number(value);
    } else if (durations[flag]) {
      (health as unknown as Record<string, number>)[durations[flag]] = goDuration(value, fail);
    } else {
      throw fail(`unknown flag: --${flag}`);
    }
  }
  return health;
}

/** Go's time.ParseDuration ("1m30s", "500ms") in nanoseconds. */
export function goDuration(text: string, fail: Fail): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw fail(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}
