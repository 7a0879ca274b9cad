// `update` of a running container: new limits written into its live groups, v1 or v2, in an
// order the kernel accepts (a v1 memory limit may not pass its memory+swap limit), including
// the values that lift a limit (-1: unlimited), which a start never needs to write.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerLimits } from '../api.js';
import type { CgroupPaths } from './cgroup-layout.js';
import { tryRead } from './cgroup-files.js';

const ERRNO_TEXT: Record<string, string> = {
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
};

// runc's wording, which docker passes on: failed to write "VALUE": write FILE: REASON
function write(dir: string | undefined, file: string, value: string, what: string): void {
  if (!dir) throw new Error(`${what}: its cgroup controller is not available on this host`);
  const full = path.join(dir, file);
  try {
    fs.writeFileSync(full, value);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new Error(`failed to write "${value}": write ${full}: ${ERRNO_TEXT[code] ?? (err as Error).message}`);
  }
}

/** Whether this host can take a --blkio-weight (docker discards it with a warning otherwise). */
export function blkioWeightSupported(paths: CgroupPaths): boolean {
  if (paths.blkio) return fs.existsSync(path.join(paths.blkio, 'blkio.weight')) || fs.existsSync(path.join(paths.blkio, 'blkio.bfq.weight'));
  if (paths.unified) return fs.existsSync(path.join(paths.unified, 'io.weight')) || fs.existsSync(path.join(paths.unified, 'io.bfq.weight'));
  return false;
}

function readNumber(file: string): number | undefined {
  const text = tryRead(file)?.trim();
  if (text === undefined || text === 'max') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function updateMemory(paths: CgroupPaths, changed: ContainerLimits, merged: ContainerLimits): void {
  const memory = changed.memoryBytes;
  const swap = changed.memorySwapBytes;
  if (memory === undefined && swap === undefined) return;
  if (paths.memory) {
    const memFile = 'memory.limit_in_bytes';
    const swapFile = 'memory.memsw.limit_in_bytes';
    const swapValue = swap === undefined ? undefined : String(swap);
    // memory ≤ memory+swap at every instant: raise the swap limit first, lower it last
    const currentSwap = readNumber(path.join(paths.memory, swapFile));
    const swapFirst = swap !== undefined && (swap === -1 || currentSwap === undefined || swap > currentSwap || (memory !== undefined && memory > currentSwap));
    if (swapFirst && swapValue) write(paths.memory, swapFile, swapValue, '--memory-swap');
    if (memory !== undefined) write(paths.memory, memFile, String(memory), '--memory');
    if (!swapFirst && swapValue) write(paths.memory, swapFile, swapValue, '--memory-swap');
    return;
  }
  if (memory !== undefined) write(paths.unified, 'memory.max', String(memory), '--memory');
  const total = merged.memorySwapBytes;
  if (total !== undefined && total !== 0) {
    const swapMax = total === -1 ? 'max' : String(Math.max(0, total - (merged.memoryBytes ?? 0)));
    write(paths.unified, 'memory.swap.max', swapMax, '--memory-swap');
  }
}

function updateCpu(paths: CgroupPaths, changed: ContainerLimits, merged: ContainerLimits): void {
  const { nanoCpus, cpuPeriod, cpuQuota, cpuShares } = changed;
  if (cpuShares !== undefined && cpuShares > 0) {
    if (paths.cpu) write(paths.cpu, 'cpu.shares', String(cpuShares), '--cpu-shares');
    else write(paths.unified, 'cpu.weight', String(Math.round(1 + ((cpuShares - 2) * 9999) / 262142)), '--cpu-shares');
  }
  if (nanoCpus === undefined && cpuPeriod === undefined && cpuQuota === undefined) return;
  let period = merged.cpuPeriod || 100_000;
  let quota = merged.cpuQuota && merged.cpuQuota > 0 ? merged.cpuQuota : -1;
  if (merged.nanoCpus) {
    period = 100_000;
    quota = Math.max(1000, Math.round((merged.nanoCpus / 1e9) * period));
  }
  if (paths.cpu) {
    // a period shorter than the quota allows is refused: lift the quota, set the period, then the quota
    write(paths.cpu, 'cpu.cfs_quota_us', '-1', '--cpu-quota');
    write(paths.cpu, 'cpu.cfs_period_us', String(period), '--cpu-period');
    write(paths.cpu, 'cpu.cfs_quota_us', String(quota), '--cpu-quota');
  } else write(paths.unified, 'cpu.max', `${quota > 0 ? quota : 'max'} ${period}`, '--cpus/--cpu-period/--cpu-quota');
}

/** Writes the limits `changed` names into the live groups; `merged` is the container's limits after the update. */
export function updateLiveLimits(paths: CgroupPaths, changed: ContainerLimits, merged: ContainerLimits): void {
  updateMemory(paths, changed, merged);
  const reservation = changed.memoryReservationBytes;
  if (reservation !== undefined) {
    if (paths.memory) write(paths.memory, 'memory.soft_limit_in_bytes', String(reservation || -1), '--memory-reservation');
    else write(paths.unified, 'memory.low', String(reservation), '--memory-reservation');
  }
  updateCpu(paths, changed, merged);
  if (changed.cpusetCpus !== undefined) write(paths.cpuset ?? paths.unified, 'cpuset.cpus', changed.cpusetCpus, '--cpuset-cpus');
  if (changed.cpusetMems !== undefined) write(paths.cpuset ?? paths.unified, 'cpuset.mems', changed.cpusetMems, '--cpuset-mems');
  if (changed.pidsLimit !== undefined) {
    write(paths.pids ?? paths.unified, 'pids.max', changed.pidsLimit > 0 ? String(changed.pidsLimit) : 'max', '--pids-limit');
  }
  if (changed.blkioWeight) writeBlkioWeight(paths, changed.blkioWeight);
}

export function writeBlkioWeight(paths: CgroupPaths, weight: number): void {
  if (paths.blkio) {
    const file = fs.existsSync(path.join(paths.blkio, 'blkio.weight')) ? 'blkio.weight' : 'blkio.bfq.weight';
    write(paths.blkio, file, String(weight), '--blkio-weight');
  } else if (paths.unified) {
    const file = fs.existsSync(path.join(paths.unified, 'io.weight')) ? 'io.weight' : 'io.bfq.weight';
    // cgroup v2's weight is 1..10000; runc maps blkio's 10..1000 onto it
    write(paths.unified, file, String(Math.round(1 + ((weight - 10) * 9999) / 990)), '--blkio-weight');
  }
}
