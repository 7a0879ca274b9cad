// `update` (docker's ContainerUpdate): new limits and restart policy checked as docker's daemon
// checks them, written into a running container's live groups, handed to its monitor (the
// restart policy file it reads at each exit), and kept in the record for the next start.
import fs from 'node:fs';
import type { ContainerLimits, ContainerRecord, UpdateOptions, UpdateResult } from '../api.js';
import { EngineError } from '../errors.js';
import type { ContainerPaths } from '../containers/paths.js';
import { checkExtraLimits } from '../runtime/cgroup-extra-limits.js';
import { blkioWeightSupported, updateLiveLimits } from '../runtime/cgroup-update.js';
import { restartPolicyFileText } from '../runtime/restart-policy.js';
import { detectCgroupLayout } from '../runtime/cgroup-layout.js';
import { isRootless } from '../rootless/mode.js';
import { refuseUndelegatedLimits } from '../rootless/refusals.js';

const BLKIO_DISCARDED = 'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.';

function cannotUpdate(r: ContainerRecord, why: string, kind: 'invalid' | 'conflict' | 'internal' = 'conflict'): EngineError {
  return new EngineError(`Cannot update container ${r.id}: ${why}`, kind);
}

/** docker's UpdateContainer checks against what the container already has (container/container_unix.go). */
function checkAgainstCurrent(r: ContainerRecord, changed: ContainerLimits, opts: UpdateOptions): void {
  const current = r.hostConfig.limits;
  if (changed.memoryBytes && current.memorySwapBytes && current.memorySwapBytes > 0 && changed.memoryBytes > current.memorySwapBytes && !changed.memorySwapBytes) {
    throw cannotUpdate(r, 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  if (changed.nanoCpus && current.cpuPeriod) throw cannotUpdate(r, 'Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if (changed.nanoCpus && current.cpuQuota && current.cpuQuota > 0) throw cannotUpdate(r, 'Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if (changed.cpuPeriod && current.nanoCpus) throw cannotUpdate(r, 'Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (changed.cpuQuota && changed.cpuQuota > 0 && current.nanoCpus) throw cannotUpdate(r, 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (opts.restartPolicy && opts.restartPolicy.name !== 'no' && r.hostConfig.autoRemove) {
    throw cannotUpdate(r, 'Restart policy cannot be updated because AutoRemove is enabled for the container');
  }
}

/** The limits with the update's values over the old ones; docker's 0 means "unchanged" for most of them. */
function mergeLimits(current: ContainerLimits, changed: ContainerLimits): ContainerLimits {
  const merged: ContainerLimits = { ...current };
  for (const [key, value] of Object.entries(changed) as Array<[keyof ContainerLimits, ContainerLimits[keyof ContainerLimits]]>) {
    if (value === undefined) continue;
    if (value === 0 && key !== 'pidsLimit') continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/**
 * Applies the update to the record `r` (fresh, under the container's lock) and returns the record
 * to write with the warnings. A running or restarting container gets the limits in its live groups
 * (a failure there changes nothing) and the policy in its monitor's file.
 */
export function applyUpdate(paths: ContainerPaths, r: ContainerRecord, opts: UpdateOptions): { record: ContainerRecord; warnings: string[] } {
  const warnings: string[] = [];
  const changed: ContainerLimits = { ...(opts.limits ?? {}) };
  // docker's verifyContainerSettings comes first, on the update's own values (a swap limit
  // alone is weighed against the memory limit the container has), and its errors name no container
  const swapAgainst = changed.memorySwapBytes && !changed.memoryBytes ? { memoryBytes: r.hostConfig.limits.memoryBytes } : {};
  const problem = checkExtraLimits({ ...changed, ...swapAgainst });
  if (problem) throw new EngineError(problem, 'invalid');
  if (isRootless()) refuseUndelegatedLimits(changed, detectCgroupLayout());
  const limits = mergeLimits(r.hostConfig.limits, changed);
  if (changed.blkioWeight && !blkioWeightSupported(r.cgroupPaths)) {
    warnings.push(BLKIO_DISCARDED);
    delete changed.blkioWeight;
    delete limits.blkioWeight;
    if (r.hostConfig.limits.blkioWeight !== undefined) limits.blkioWeight = r.hostConfig.limits.blkioWeight;
  }
  checkAgainstCurrent(r, changed, opts);

  const monitorAlive = r.state.running || r.state.status === 'restarting';
  if (monitorAlive && Object.keys(changed).length > 0) {
    try {
      updateLiveLimits(r.cgroupPaths, changed, limits);
    } catch (err) {
      throw cannotUpdate(r, (err as Error).message, 'internal');
    }
  }
  if (opts.restartPolicy && monitorAlive) {
    try {
      writeAtomically(paths.restartPolicyFile(r.id), restartPolicyFileText(opts.restartPolicy));
    } catch (err) {
      throw cannotUpdate(r, `cannot hand the restart policy to the monitor: ${(err as Error).message}`, 'internal');
    }
  }
  const hostConfig = { ...r.hostConfig, limits, ...(opts.restartPolicy ? { restartPolicy: opts.restartPolicy } : {}) };
  return { record: { ...r, hostConfig }, warnings };
}

