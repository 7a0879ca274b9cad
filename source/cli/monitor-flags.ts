// run/create's flags for what the container's monitor does: --restart and the --health-* checks.
import type { CreateOptions, HealthConfig, RestartPolicy } from '../engine/api.js';
import { type FlagSpec, type ParsedCommand, flagBool, flagString } from './args.js';
import { CliError } from './errors.js';
import { parseGoDuration } from './values.js';

export const MONITOR_FLAGS: FlagSpec[] = [
  { long: 'restart', kind: 'string', help: 'Restart policy to apply when a container exits (no, on-failure[:max-retries], always, unless-stopped)' },
  { long: 'health-cmd', kind: 'string', help: 'Command to run to check health' },
  { long: 'health-interval', kind: 'string', value: 'duration', help: 'Time between running the check (ms|s|m|h) (default 0s)' },
  { long: 'health-timeout', kind: 'string', value: 'duration', help: 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' },
  { long: 'health-retries', kind: 'string', value: 'int', help: 'Consecutive failures needed to report unhealthy' },
  { long: 'health-start-period', kind: 'string', value: 'duration', help: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' },
  { long: 'health-start-interval', kind: 'string', value: 'duration', help: 'Time between running the check during the start period (ms|s|m|h) (default 0s)' },
  { long: 'no-healthcheck', kind: 'bool', help: 'Disable any container-specified HEALTHCHECK' },
];

/** docker's --restart: no, always, unless-stopped, on-failure[:N]. */
export function parseRestartPolicy(text: string): RestartPolicy {
  const [name, count, ...rest] = text.split(':');
  const names = ['no', 'always', 'on-failure', 'unless-stopped'] as const;
  const known = names.find((n) => n === name);
  if (!known || rest.length > 0) throw new CliError(`invalid restart policy: ${text}`);
  if (count === undefined) return { name: known, maximumRetryCount: 0 };
  if (known !== 'on-failure') throw new CliError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  if (!/^\d+$/.test(count)) throw new CliError(`invalid restart policy: invalid maximum retry count: ${count}`);
  return { name: known, maximumRetryCount: Number(count) };
}

function duration(p: ParsedCommand, flag: string): number | undefined {
  const text = flagString(p, flag);
  if (text === undefined) return undefined;
  const ms = text === '0' ? 0 : parseGoDuration(text);
  const ns = ms === undefined || ms < 0 ? undefined : Math.round(ms * 1e6);
  if (ns === undefined) throw new CliError(`invalid argument "${text}" for "--${flag}" flag: time: invalid duration "${text}"`);
  if (ns !== 0 && ns < 1e6) throw new CliError(`--${flag} cannot be less than 1ms`);
  return ns;
}

function healthConfig(p: ParsedCommand): HealthConfig | undefined {
  const cmd = flagString(p, 'health-cmd');
  const health: HealthConfig = { Test: cmd !== undefined && cmd !== '' ? ['CMD-SHELL', cmd] : [] };
  const durations = { Interval: 'health-interval', Timeout: 'health-timeout', StartPeriod: 'health-start-period', StartInterval: 'health-start-interval' } as const;
  for (const [key, flag] of Object.entries(durations)) {
    const ns = duration(p, flag);
    if (ns) health[key as keyof typeof durations] = ns;
  }
  const retries = flagString(p, 'health-retries');
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries)) throw new CliError(`invalid argument "${retries}" for "--health-retries" flag`);
    if (Number(retries) > 0) health.Retries = Number(retries);
  }
  if (flagBool(p, 'no-healthcheck')) {
    if (health.Test.length > 0 || Object.keys(health).length > 1) throw new CliError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  return Object.keys(health).length > 1 || health.Test.length > 0 ? health : undefined;
}

/** The restart policy and health check the flags ask for, into `opts`. */
export function applyMonitorFlags(p: ParsedCommand, opts: CreateOptions): void {
  const restart = flagString(p, 'restart');
  if (restart !== undefined) opts.restartPolicy = parseRestartPolicy(restart);
  const health = healthConfig(p);
  if (health) opts.healthcheck = health;
}
