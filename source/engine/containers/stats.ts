// Resource usage of a container: cgroup counters, turned into CPU % between two samples,
// plus network bytes from the container's own network namespace.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerRecord, StatsSample } from '../api.js';
import { readCpuTotalNs, readStats } from '../runtime/cgroups.js';
import { shimAlive } from './state.js';

interface Previous { cpuNs: number; at: bigint }

/** The last full sample of a running container, and what it takes to tell it still holds. */
interface Full {
  sample: StatsSample;
  record: ContainerRecord;
  recordFile: string;
  recordStamp: string;
  at: bigint;
}

// An idle container's memory can still move (the kernel reclaims its page cache) without it
// using any CPU: a full sample is taken at least this often.
const FULL_SAMPLE_EVERY_NS = 10_000_000_000n;

function netBytes(pid: number): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  if (!pid) return { rx, tx };
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').slice(2)) {
      const [iface, rest] = line.split(':');
      if (!rest || iface.trim() === 'lo') continue;
      const f = rest.trim().split(/\s+/).map(Number);
      rx += f[0];
      tx += f[8];
    }
  } catch { /* exited */ }
  return { rx, tx };
}

function stampOf(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
}

export class StatsSampler {
  private readonly previous = new Map<string, Previous>();
  private readonly full = new Map<string, Full>();

  /**
   * A sample without looking the container up again, when that cannot change the answer: its
   * record was not rewritten, its monitor lives, and its cgroup used no CPU since the last full
   * sample (no process of it ran, so none started, exited or touched memory). Reads two files instead of a dozen;
   * the TUI samples every on-screen container each refresh, and most of them are idle.
   */
  unchanged(ref: string): StatsSample | undefined {
    const last = this.full.get(ref);
    if (!last) return undefined;
    const now = process.hrtime.bigint();
    if (now - last.at > FULL_SAMPLE_EVERY_NS || stampOf(last.recordFile) !== last.recordStamp) return this.drop(ref);
    // A monitor killed under an idle container changes neither: the full sample's lookup notices
    // (and records) it, which is how a list following the store learns it within a sample.
    const { shimPid } = last.record.state;
    if (shimPid && !shimAlive(shimPid, last.record.id)) return this.drop(ref);
    const cpuNs = readCpuTotalNs(last.record.cgroupPaths);
    if (cpuNs === undefined || cpuNs !== last.sample.cpuTotalNs) return this.drop(ref);
    this.previous.set(last.record.id, { cpuNs, at: now });
    const net = netBytes(last.record.state.pid);
    return { ...last.sample, read: new Date().toISOString(), cpuPercent: 0, netRx: net.rx, netTx: net.tx };
  }

  async sample(record: ContainerRecord, ref = record.id, recordFile?: string): Promise<StatsSample> {
    // stamped before the counters are read: a rewrite racing this sample invalidates it
    const recordStamp = recordFile ? stampOf(recordFile) : undefined;
    let prev = this.previous.get(record.id);
    if (!prev && record.state.running) {
      const first = readStats(record.cgroupPaths);
      prev = { cpuNs: first.cpuTotalNs, at: process.hrtime.bigint() };
      await sleep(100);
    }
    const s = record.state.running ? readStats(record.cgroupPaths) : { cpuTotalNs: 0, memoryUsage: 0, memoryLimit: 0, pids: 0, blockRead: 0, blockWrite: 0 };
    const at = process.hrtime.bigint();
    let cpuPercent = 0;
    if (prev && record.state.running) {
      const wall = Number(at - prev.at);
      if (wall > 0) cpuPercent = Math.max(0, ((s.cpuTotalNs - prev.cpuNs) / wall) * 100);
    }
    this.previous.set(record.id, { cpuNs: s.cpuTotalNs, at });
    const net = netBytes(record.state.pid);
    const sample: StatsSample = {
      id: record.id, name: record.name, read: new Date().toISOString(),
      cpuPercent, cpuTotalNs: s.cpuTotalNs, memoryUsage: s.memoryUsage, memoryLimit: s.memoryLimit,
      pids: s.pids, blockRead: s.blockRead, blockWrite: s.blockWrite, netRx: net.rx, netTx: net.tx,
    };
    if (record.state.running && !record.state.paused && recordFile && recordStamp) this.full.set(ref, { sample, record, recordFile, recordStamp, at });
    else this.full.delete(ref);
    return sample;
  }

  forget(id: string): void {
    this.previous.delete(id);
    for (const [ref, last] of this.full) if (last.record.id === id) this.full.delete(ref);
  }

  private drop(ref: string): undefined {
    this.full.delete(ref);
    return undefined;
  }
}
