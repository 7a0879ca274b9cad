// The limits beyond --memory/--cpus/--pids-limit/--cpu-shares: --memory-swap,
// --memory-reservation, --cpuset-cpus, --cpu-period/--cpu-quota, v1 or v2 as the host serves them.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerLimits } from '../api.js';
import type { CgroupPaths } from './cgroup-layout.js';
import { blkioWeightSupported, writeBlkioWeight } from './cgroup-update.js';

function write(dir: string | undefined, file: string, value: string, what: string): void {
  if (!dir) throw new Error(`${what} requested but its cgroup controller is not available`);
  try {
    fs.writeFileSync(path.join(dir, file), value);
  } catch (err) {
    throw new Error(`${what}: cannot write ${value} to ${file}: ${(err as Error).message}`);
  }
}

export function applyExtraLimits(paths: CgroupPaths, limits: ContainerLimits): void {
  const { memoryBytes, memorySwapBytes, memoryReservationBytes, cpusetCpus, cpuPeriod, cpuQuota } = limits;
  if (memorySwapBytes !== undefined && memorySwapBytes !== 0) {
    if (paths.memory) write(paths.memory, 'memory.memsw.limit_in_bytes', String(memorySwapBytes), '--memory-swap');
    else {
      const swap = memorySwapBytes === -1 ? 'max' : String(Math.max(0, memorySwapBytes - (memoryBytes ?? 0)));
      write(paths.unified, 'memory.swap.max', swap, '--memory-swap');
    }
  }
  if (memoryReservationBytes) {
    if (paths.memory) write(paths.memory, 'memory.soft_limit_in_bytes', String(memoryReservationBytes), '--memory-reservation');
    else write(paths.unified, 'memory.low', String(memoryReservationBytes), '--memory-reservation');
  }
  if (cpusetCpus) write(paths.cpuset ?? paths.unified, 'cpuset.cpus', cpusetCpus, '--cpuset-cpus');
  if (limits.cpusetMems) write(paths.cpuset ?? paths.unified, 'cpuset.mems', limits.cpusetMems, '--cpuset-mems');
  if (limits.blkioWeight && blkioWeightSupported(paths)) writeBlkioWeight(paths, limits.blkioWeight);
  if (cpuPeriod || cpuQuota) {
    if (paths.cpu) {
      if (cpuPeriod) write(paths.cpu, 'cpu.cfs_period_us', String(cpuPeriod), '--cpu-period');
      if (cpuQuota) write(paths.cpu, 'cpu.cfs_quota_us', String(cpuQuota), '--cpu-quota');
    } else {
      const quota = cpuQuota && cpuQuota > 0 ? String(cpuQuota) : 'max';
      write(paths.unified, 'cpu.max', `${quota} ${cpuPeriod || 100_000}`, '--cpu-period/--cpu-quota');
    }
  }
}

/** docker's checks at create: a swap limit needs a memory limit at most that big; --cpus excludes period/quota. */
export function checkExtraLimits(limits: ContainerLimits): string | undefined {
  const { memoryBytes, memorySwapBytes, memoryReservationBytes, nanoCpus, cpuPeriod, cpuQuota } = limits;
  if (memorySwapBytes !== undefined && memorySwapBytes > 0) {
    if (!memoryBytes) return 'You should always set the Memory limit when using Memoryswap limit';
    if (memorySwapBytes < memoryBytes) return 'Minimum memoryswap limit should be larger than memory limit, see usage';
  }
  if (memoryBytes && memoryReservationBytes && memoryReservationBytes > memoryBytes) return 'Minimum memory limit can not be less than memory reservation limit, see usage';
  if (nanoCpus && (cpuPeriod || cpuQuota)) return 'Conflicting options: Nano CPUs and CPU Period cannot both be set';
  if (cpuPeriod && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) return 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)';
  if (cpuQuota && cpuQuota > 0 && cpuQuota < 1000) return 'CPU cfs quota can not be less than 1ms (i.e. 1000)';
  if (limits.cpusetCpus !== undefined && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(limits.cpusetCpus)) return `Invalid value ${limits.cpusetCpus} for cpuset cpus`;
  if (limits.cpusetMems !== undefined && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(limits.cpusetMems)) return `Invalid value ${limits.cpusetMems} for cpuset mems`;
  if (limits.blkioWeight && (limits.blkioWeight < 10 || limits.blkioWeight > 1000)) return 'Range of blkio weight is from 10 to 1000';
  if (limits.memoryBytes && limits.memoryBytes > 0 && limits.memoryBytes < 6 * 1024 * 1024) return 'Minimum memory limit allowed is 6MB';
  return undefined;
}
