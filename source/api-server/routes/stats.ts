// GET /containers/{id}/stats: docker's stats JSON, streamed each second or once. Clients work
// out CPU % themselves from cpu_stats against precpu_stats (container CPU time over the host's,
// times online_cpus), so both carry the host's system_cpu_usage from /proc/stat.
import fs from 'node:fs';
import os from 'node:os';
import type { StatsSample } from '../../engine/api.js';
import { type Call, flag } from '../call.js';
import type { Routes } from '../router.js';

interface CpuReading { total: number; system: number }

export function registerStats(r: Routes): void {
  r.on('GET', '/containers/:id/stats', stats);
}

async function stats(call: Call): Promise<void> {
  const record = await call.engine.inspectContainer(call.params.id);
  const stream = flag(call, 'stream', true);
  const oneShot = flag(call, 'one-shot');
  const abort = new AbortController();
  const out = call.reply.stream(200, 'application/json');
  call.reply.onClose(() => abort.abort());
  const read = async (): Promise<{ sample: StatsSample; cpu: CpuReading }> => {
    const sample = await call.engine.stats(record.id);
    return { sample, cpu: { total: sample.cpuTotalNs, system: systemCpuNs() } };
  };
  let previous = oneShot ? undefined : await read();
  if (!stream && !oneShot) await sleep(500, abort.signal);
  while (!abort.signal.aborted) {
    const now = await read();
    if (abort.signal.aborted || !out.writable) break;
    out.write(JSON.stringify(dockerStats(record.name, now, previous)) + '\n');
    previous = now;
    if (!stream) break;
    await sleep(1000, abort.signal);
  }
  out.end();
}

function dockerStats(name: string, now: { sample: StatsSample; cpu: CpuReading }, before?: { sample: StatsSample; cpu: CpuReading }) {
  const s = now.sample;
  const cpus = os.cpus().length;
  const cpuStats = (r?: CpuReading) => ({
    cpu_usage: { total_usage: r?.total ?? 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: r?.system ?? 0,
    online_cpus: cpus,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  return {
    name: `/${name}`,
    id: s.id,
    read: s.read,
    preread: before?.sample.read ?? '0001-01-01T00:00:00Z',
    pids_stats: { current: s.pids },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 0, minor: 0, op: 'read', value: s.blockRead },
        { major: 0, minor: 0, op: 'write', value: s.blockWrite },
      ],
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(now.cpu),
    precpu_stats: cpuStats(before?.cpu),
    memory_stats: { usage: s.memoryUsage, stats: {}, limit: s.memoryLimit },
    networks: { eth0: { rx_bytes: s.netRx, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: s.netTx, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } },
  };
}

// The host's CPU time in nanoseconds, as docker reads it: the first line of /proc/stat in clock ticks (USER_HZ 100).
function systemCpuNs(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  const ticks = line.split(/\s+/).slice(1, 8).reduce((sum, v) => sum + Number(v), 0);
  return ticks * 10_000_000;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
