// Resource usage of a container: cgroup counters, turned into CPU % between two samples,
// plus network bytes from the container's own network namespace.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerRecord, StatsSample } from '../api.js';
import { readStats } from '../runtime/cgroups.js';

interface Previous { cpuNs: number; at: bigint }

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

export class StatsSampler {
  private readonly previous = new Map<string, Previous>();

  async sample(record: ContainerRecord): Promise<StatsSample> {
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
    return {
      id: record.id, name: record.name, read: new Date().toISOString(),
      cpuPercent, cpuTotalNs: s.cpuTotalNs, memoryUsage: s.memoryUsage, memoryLimit: s.memoryLimit,
      pids: s.pids, blockRead: s.blockRead, blockWrite: s.blockWrite, netRx: net.rx, netTx: net.tx,
    };
  }

  forget(id: string): void {
    this.previous.delete(id);
  }
}
