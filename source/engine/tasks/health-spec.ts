// The health check the monitor runs: the check's exec spec (written beside the run spec; the
// monitor adds the container's pid at every run) and the run spec's `health_*` entries.
import fs from 'node:fs';
import type { ContainerRecord } from '../api.js';
import { buildExecSpec } from '../containers/exec.js';
import type { ContainerPaths } from '../containers/paths.js';
import { writeSpec, type SpecEntries } from '../runtime/monitor-protocol.js';

const toMs = (ns: number) => String(Math.max(1, Math.round(ns / 1e6)));

export function writeHealthSpec(record: ContainerRecord, rootfs: string, paths: ContainerPaths): SpecEntries {
  const check = record.healthcheck;
  if (!check) return [];
  // docker runs CMD-SHELL with /bin/sh -c on Linux
  const cmd = check.Test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', check.Test[1] ?? ''] : check.Test.slice(1);
  const spec = buildExecSpec(record, rootfs, { cmd }).filter(([key]) => key !== 'target_pid');
  fs.writeFileSync(paths.healthSpec(record.id), writeSpec(spec), { mode: 0o600 });
  const entries: SpecEntries = [['health_spec', paths.healthSpec(record.id)], ['health_file', paths.healthFile(record.id)]];
  if (check.Interval) entries.push(['health_interval_ms', toMs(check.Interval)]);
  if (check.Timeout) entries.push(['health_timeout_ms', toMs(check.Timeout)]);
  if (check.StartPeriod) entries.push(['health_start_period_ms', String(Math.round(check.StartPeriod / 1e6))]);
  if (check.StartInterval) entries.push(['health_start_interval_ms', toMs(check.StartInterval)]);
  if (check.Retries) entries.push(['health_retries', String(check.Retries)]);
  return entries;
}
