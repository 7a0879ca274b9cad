// A container's cgroups: one group per controller (v1) or one unified group (v2), nested
// under a `strata` group inside the caller's own groups. Limits, freezer, stats, removal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContainerLimits } from '../api.js';
import { tryRead } from './cgroup-files.js';
import { applyExtraLimits } from './cgroup-extra-limits.js';
import { detectCgroupLayout, type Controller, type CgroupLayout, type CgroupPaths } from './cgroup-layout.js';

export type { CgroupPaths };

function write(file: string, value: string): void {
  fs.writeFileSync(file, value);
}


// --cgroup-parent puts the group under that path (from where strata's own groups go) instead of `strata`.
export function cgroupPathsFor(id: string, layout: CgroupLayout = detectCgroupLayout(), parent = 'strata'): CgroupPaths {
  const paths: CgroupPaths = {};
  for (const [controller, place] of Object.entries(layout.controllers)) {
    if (!place) continue;
    if (place.version === 'v1') paths[controller] = path.join(place.base, parent, id);
    else paths.unified = path.join(place.base, parent, id);
  }
  for (const [name, base] of Object.entries(layout.named)) paths[name] = path.join(base, parent, id);
  return paths;
}

function ensureV2Parent(parent: string): void {
  if (fs.existsSync(parent)) return;
  fs.mkdirSync(parent, { recursive: true });
  // Enable what the parent offers for our children; the tree above may refuse, and then
  // the limits that need a controller are reported as unsupported at apply time.
  const offered = tryRead(path.join(parent, 'cgroup.controllers'))?.trim();
  if (offered) {
    try {
      write(path.join(parent, 'cgroup.subtree_control'), offered.split(/\s+/).map((c) => `+${c}`).join(' '));
    } catch {
      /* best effort */
    }
  }
}

// A new v1 cpuset group has no CPUs and no memory nodes, and nothing can join it until it gets its parent's.
function fillCpuset(dir: string): void {
  const files = ['cpuset.cpus', 'cpuset.mems'];
  if (files.every((f) => tryRead(path.join(dir, f))?.trim())) return;
  const parent = path.dirname(dir);
  fillCpuset(parent);
  for (const f of files) {
    if (!tryRead(path.join(dir, f))?.trim()) write(path.join(dir, f), fs.readFileSync(path.join(parent, f), 'utf8'));
  }
}

// Device rules are applied apart (cgroup-devices.ts): on v2 they need the native addon, which
// the read-only paths through this module (`ps`) should not load.
export function createCgroups(paths: CgroupPaths, limits: ContainerLimits): void {
  for (const [controller, dir] of Object.entries(paths)) {
    if (controller === 'unified') ensureV2Parent(path.dirname(dir));
    fs.mkdirSync(dir, { recursive: true });
    if (controller === 'cpuset') fillCpuset(dir);
  }
  applyLimits(paths, limits);
}

export function applyLimits(paths: CgroupPaths, limits: ContainerLimits): void {
  const { memoryBytes, nanoCpus, pidsLimit, cpuShares } = limits;
  const period = 100_000;
  if (memoryBytes) {
    if (paths.memory) write(path.join(paths.memory, 'memory.limit_in_bytes'), String(memoryBytes));
    else if (paths.unified) {
      write(path.join(paths.unified, 'memory.max'), String(memoryBytes));
      // docker gives no extra swap by default; v2 counts swap apart
      try { write(path.join(paths.unified, 'memory.swap.max'), '0'); } catch { /* no swap controller */ }
    } else throw new Error('memory limit requested but no memory cgroup controller is available');
  }
  if (nanoCpus) {
    const quota = Math.max(1000, Math.round((nanoCpus / 1e9) * period));
    if (paths.cpu) {
      write(path.join(paths.cpu, 'cpu.cfs_period_us'), String(period));
      write(path.join(paths.cpu, 'cpu.cfs_quota_us'), String(quota));
    } else if (paths.unified) write(path.join(paths.unified, 'cpu.max'), `${quota} ${period}`);
    else throw new Error('cpu limit requested but no cpu cgroup controller is available');
  }
  if (cpuShares) {
    if (paths.cpu) write(path.join(paths.cpu, 'cpu.shares'), String(cpuShares));
    else if (paths.unified) {
      // the conversion runc uses from shares (2..262144) to weight (1..10000)
      const weight = Math.round(1 + ((cpuShares - 2) * 9999) / 262142);
      write(path.join(paths.unified, 'cpu.weight'), String(weight));
    }
  }
  if (pidsLimit && pidsLimit > 0) {
    const dir = paths.pids ?? paths.unified;
    if (!dir) throw new Error('pids limit requested but no pids cgroup controller is available');
    write(path.join(dir, 'pids.max'), String(pidsLimit));
  }
  applyExtraLimits(paths, limits);
}

/**
 * The files a process writes "0" to, to join a container's groups itself (native/shim/container-process.c,
 * exec.c): a v1 group's `tasks`, which moves the writing thread without the wait for an RCU
 * grace period that a write to cgroup.procs costs; a v2 group has only cgroup.procs.
 */
export function joinFiles(paths: CgroupPaths): string[] {
  return Object.entries(paths).map(([controller, dir]) => path.join(dir, controller === 'unified' ? 'cgroup.procs' : 'tasks'));
}

export function oomCounterFiles(paths: CgroupPaths): string[] {
  if (paths.memory) return [path.join(paths.memory, 'memory.oom_control')];
  if (paths.unified) return [path.join(paths.unified, 'memory.events')];
  return [];
}

export function removeCgroups(paths: CgroupPaths): void {
  for (const dir of Object.values(paths)) {
    try {
      fs.rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

export function cgroupsExist(paths: CgroupPaths): boolean {
  return Object.values(paths).some((dir) => fs.existsSync(dir));
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Returns only once the kernel reports the whole group frozen (or thawed).
export function setFrozen(paths: CgroupPaths, frozen: boolean, timeoutMs = 10_000): void {
  const deadline = Date.now() + timeoutMs;
  if (paths.freezer) {
    const file = path.join(paths.freezer, 'freezer.state');
    const want = frozen ? 'FROZEN' : 'THAWED';
    write(file, want);
    for (let spins = 0; ; spins++) {
      if (fs.readFileSync(file, 'utf8').trim() === want) return;
      if (Date.now() > deadline) throw new Error(`freezer did not reach ${want} within ${timeoutMs} ms`);
      // FREEZING can stall on a task in uninterruptible sleep: writing again retries it.
      if (spins % 50 === 49) write(file, want);
      if (spins > 20) sleepMs(1);
    }
  }
  if (paths.unified) {
    write(path.join(paths.unified, 'cgroup.freeze'), frozen ? '1' : '0');
    const want = `frozen ${frozen ? 1 : 0}`;
    for (let spins = 0; ; spins++) {
      const events = fs.readFileSync(path.join(paths.unified, 'cgroup.events'), 'utf8');
      if (events.split('\n').includes(want)) return;
      if (Date.now() > deadline) throw new Error(`cgroup.freeze did not report ${want} within ${timeoutMs} ms`);
      if (spins > 20) sleepMs(1);
    }
  }
  throw new Error('no freezer: neither a v1 freezer hierarchy nor cgroup v2 is available');
}

export { isFrozen } from './freezer-state.js';

export function cgroupPids(paths: CgroupPaths): number[] {
  const dir = paths.pids ?? paths.freezer ?? paths.memory ?? paths.unified ?? Object.values(paths)[0];
  if (!dir) return [];
  const text = tryRead(path.join(dir, 'cgroup.procs')) ?? '';
  return text.split('\n').filter(Boolean).map(Number);
}

/**
 * Kills every process in the groups, as a monitor does by killing its container: frozen first so
 * that nothing forks past the kill, thawed so that the kills land; resolves true once the groups
 * are empty.
 */
export async function killGroupProcesses(paths: CgroupPaths, timeoutMs = 10_000): Promise<boolean> {
  const freezable = paths.freezer !== undefined || paths.unified !== undefined;
  try { if (freezable) setFrozen(paths, true, 2000); } catch { /* a task stuck in the kernel: kill anyway */ }
  for (const pid of cgroupPids(paths)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
  try { if (freezable) setFrozen(paths, false); } catch { /* a frozen SIGKILLed task dies once thawed */ }
  return untilTrue(() => cgroupPids(paths).length === 0, timeoutMs);
}

/** Removes the groups once the kernel lets go of them (a moment after their last task); false when it did not in time. */
export async function removeCgroupsWhenFree(paths: CgroupPaths, timeoutMs = 2000): Promise<boolean> {
  return untilTrue(() => {
    try { removeCgroups(paths); return true; } catch { return false; }
  }, timeoutMs);
}

async function untilTrue(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

export interface CgroupStats {
  cpuTotalNs: number;
  memoryUsage: number;
  memoryLimit: number;
  pids: number;
  blockRead: number;
  blockWrite: number;
}

function statField(text: string | undefined, key: string): number {
  if (!text) return 0;
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** CPU time the group used, in ns; undefined when the group is gone. */
export function readCpuTotalNs(paths: CgroupPaths): number | undefined {
  if (paths.cpuacct) {
    const text = tryRead(path.join(paths.cpuacct, 'cpuacct.usage'));
    return text === undefined ? undefined : Number(text);
  }
  if (paths.unified) {
    const text = tryRead(path.join(paths.unified, 'cpu.stat'));
    return text === undefined ? undefined : statField(text, 'usage_usec') * 1000;
  }
  return undefined;
}

export function readStats(paths: CgroupPaths): CgroupStats {
  const stats: CgroupStats = { cpuTotalNs: 0, memoryUsage: 0, memoryLimit: os.totalmem(), pids: 0, blockRead: 0, blockWrite: 0 };
  stats.cpuTotalNs = readCpuTotalNs(paths) ?? 0;

  if (paths.memory) {
    const usage = Number(tryRead(path.join(paths.memory, 'memory.usage_in_bytes')) ?? 0);
    // docker reports usage without the inactive page cache
    const inactive = statField(tryRead(path.join(paths.memory, 'memory.stat')), 'total_inactive_file');
    stats.memoryUsage = Math.max(0, usage - inactive);
    const limit = Number(tryRead(path.join(paths.memory, 'memory.limit_in_bytes')) ?? 0);
    if (limit > 0 && limit < stats.memoryLimit) stats.memoryLimit = limit;
  } else if (paths.unified) {
    const usage = Number(tryRead(path.join(paths.unified, 'memory.current')) ?? 0);
    const inactive = statField(tryRead(path.join(paths.unified, 'memory.stat')), 'inactive_file');
    stats.memoryUsage = Math.max(0, usage - inactive);
    const max = tryRead(path.join(paths.unified, 'memory.max'))?.trim();
    if (max && max !== 'max' && Number(max) < stats.memoryLimit) stats.memoryLimit = Number(max);
  }

  const pidsDir = paths.pids ?? paths.unified;
  if (pidsDir) stats.pids = Number(tryRead(path.join(pidsDir, 'pids.current')) ?? 0);
  else stats.pids = cgroupPids(paths).length;

  if (paths.blkio) {
    const text = tryRead(path.join(paths.blkio, 'blkio.throttle.io_service_bytes_recursive')) ?? tryRead(path.join(paths.blkio, 'blkio.throttle.io_service_bytes')) ?? '';
    for (const line of text.split('\n')) {
      const [, op, value] = line.split(' ');
      if (op === 'Read') stats.blockRead += Number(value);
      else if (op === 'Write') stats.blockWrite += Number(value);
    }
  } else if (paths.unified) {
    const text = tryRead(path.join(paths.unified, 'io.stat')) ?? '';
    for (const m of text.matchAll(/rbytes=(\d+) wbytes=(\d+)/g)) {
      stats.blockRead += Number(m[1]);
      stats.blockWrite += Number(m[2]);
    }
  }
  return stats;
}

export type { Controller };
