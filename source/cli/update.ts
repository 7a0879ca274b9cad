// strata update: the limits and restart policy of one or more containers, running or not (docker's
// `update`): each name printed on success, docker's errors one line each, exit 1 if any failed.
import type { ContainerLimits, UpdateOptions } from '../engine/api.js';
import { type CommandSpec, type ParsedCommand, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { parseNanoCpus } from '../engine/format/cpus.js';
import { parseRamBytes } from '../engine/format/size.js';
import { parseInteger } from './values.js';
import { parseRestartPolicy } from './monitor-flags.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'update',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  summary: SUMMARIES.update,
  flags: [
    { long: 'blkio-weight', kind: 'string', value: 'uint16', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
    { long: 'cpu-period', kind: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
    { long: 'cpu-quota', kind: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
    { long: 'cpu-shares', short: 'c', kind: 'string', value: 'int', help: 'CPU shares (relative weight)' },
    { long: 'cpus', kind: 'string', value: 'decimal', help: 'Number of CPUs' },
    { long: 'cpuset-cpus', kind: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
    { long: 'cpuset-mems', kind: 'string', help: 'MEMs in which to allow execution (0-3, 0,1)' },
    { long: 'memory', short: 'm', kind: 'string', value: 'bytes', help: 'Memory limit' },
    { long: 'memory-reservation', kind: 'string', value: 'bytes', help: 'Memory soft limit' },
    { long: 'memory-swap', kind: 'string', value: 'bytes', help: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' },
    { long: 'pids-limit', kind: 'string', value: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
    { long: 'restart', kind: 'string', help: 'Restart policy to apply when a container exits' },
  ],
  minArgs: 1,
};

/** The update the flags ask for; docker refuses an update without any. */
export function readUpdateOptions(p: ParsedCommand): UpdateOptions {
  const limits: ContainerLimits = {};
  const value = (long: string) => flagString(p, long);
  const bytes = (long: string) => (value(long) === undefined ? undefined : parseRamBytes(value(long)!, `--${long}`));
  const int = (long: string, min: number) => (value(long) === undefined ? undefined : parseInteger(value(long)!, `--${long}`, { min }));
  const set = <K extends keyof ContainerLimits>(key: K, v: ContainerLimits[K] | undefined) => {
    if (v !== undefined) limits[key] = v;
  };
  set('memoryBytes', bytes('memory'));
  set('memoryReservationBytes', bytes('memory-reservation'));
  set('memorySwapBytes', value('memory-swap') === '-1' ? -1 : bytes('memory-swap'));
  set('nanoCpus', value('cpus') === undefined ? undefined : parseNanoCpus(value('cpus')!, '--cpus'));
  set('cpuShares', int('cpu-shares', 0));
  set('cpuPeriod', int('cpu-period', 0));
  set('cpuQuota', int('cpu-quota', -1));
  set('cpusetCpus', value('cpuset-cpus'));
  set('cpusetMems', value('cpuset-mems'));
  set('pidsLimit', int('pids-limit', -1));
  set('blkioWeight', int('blkio-weight', 0));
  const restart = value('restart');
  const opts: UpdateOptions = {};
  if (Object.keys(limits).length > 0) opts.limits = limits;
  // docker's daemon judges the policy: a bad one fails the verb (1), not the command line (125)
  if (restart !== undefined) {
    try {
      opts.restartPolicy = parseRestartPolicy(restart);
    } catch (err) {
      throw new CliError((err as Error).message, EXIT_VERB_FAILED);
    }
  }
  if (!opts.limits && !opts.restartPolicy) throw new CliError('you must provide one or more flags when using this command', EXIT_VERB_FAILED);
  return opts;
}

export const main: VerbMain = async (_verb, argv, ctx) => {
  const p = parseVerbArgs(argv, SPEC, ctx);
  if (!p) return 0;
  const opts = readUpdateOptions(p);
  const engine = await ctx.engine();
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const ref of p.args) {
    try {
      warnings.push(...(await engine.updateContainer(ref, opts)).warnings);
      ctx.stdout.write(`${ref}\n`);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (warnings.length > 0) ctx.stdout.write(`${[...new Set(warnings)].join('\n')}\n`);
  for (const e of errors) ctx.stderr.write(`strata: ${e}\n`);
  return errors.length > 0 ? EXIT_VERB_FAILED : 0;
};
