// Containers as the table shows them: summaries joined with their latest stats, filtered
// and sorted. Knows nothing of the screen.
import type { ContainerSummary, PublishedPort, StatsSample } from '../../engine/api.js';
import { containerStatusText, MONITOR_GONE_NOTE } from '../../engine/format/status.js';
import { upSinceMs, uptimeText } from './uptime.js';

/** docker ps's way: "0.0.0.0:8080->80/tcp", several joined with ", ". */
export function formatPorts(ports: readonly PublishedPort[]): string {
  return ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  status: ContainerSummary['status'];
  state: string; // running / paused / exited (3) / created / no monitor
  tone: string; // the theme's state colour: the status, or 'monitor-gone'
  upSince?: number; // ms epoch
  uptime: string;
  statusText: string; // docker ps's STATUS as of `now`: "Up 4 minutes", "Exited (3) 2 minutes ago"
  cpuPercent?: number;
  memoryUsage?: number;
  pids?: number;
  ports: string; // "0.0.0.0:8080->80/tcp, …" as docker ps shows them; '' when none
  summary: ContainerSummary;
}

export const CONTAINER_SORT_KEYS = ['name', 'image', 'state', 'cpu', 'memory', 'pids'] as const;
export type ContainerSortKey = (typeof CONTAINER_SORT_KEYS)[number];

/** Running without its monitor (strata-shim): said in its own words, not as a plain "running". */
export const NO_MONITOR = 'no monitor';

export function stateLabel(c: ContainerSummary): string {
  if (c.monitorGone) return NO_MONITOR;
  if (c.status === 'exited') return `exited (${c.exitCode})`;
  return c.status;
}

/** The time a container's STATUS words count from: its start while up, its exit after. */
export function statusSince(c: ContainerSummary): number | undefined {
  if (c.status === 'exited' || c.status === 'restarting') return upSinceMs(c.finishedAt);
  return upSinceOf(c);
}

/** docker's STATUS words at `now`, with the engine's note on a dead monitor, as `strata ps` prints them. */
export function statusTextAt(c: ContainerSummary, now: number): string {
  return containerStatusText(c, now) + (c.monitorGone ? MONITOR_GONE_NOTE : '');
}

/** When a running or paused container came up. */
export function upSinceOf(c: ContainerSummary): number | undefined {
  return c.status === 'running' || c.status === 'paused' ? upSinceMs(c.startedAt) : undefined;
}

export function containerRows(list: readonly ContainerSummary[], stats: ReadonlyMap<string, StatsSample | undefined>, now: number): ContainerRow[] {
  return list.map((c) => {
    const live = c.status === 'running' || c.status === 'paused';
    const s = live ? stats.get(c.id) : undefined;
    return {
      id: c.id,
      name: c.name,
      image: c.image,
      status: c.status,
      state: stateLabel(c),
      tone: c.monitorGone ? 'monitor-gone' : c.status,
      upSince: upSinceOf(c),
      uptime: uptimeText(upSinceOf(c), now),
      statusText: statusTextAt(c, now),
      cpuPercent: s?.cpuPercent,
      memoryUsage: s?.memoryUsage,
      pids: s?.pids,
      ports: formatPorts(c.ports ?? []),
      summary: c,
    };
  });
}

export function matchesFilter(row: ContainerRow, filter: string): boolean {
  if (!filter) return true;
  const q = filter.toLowerCase();
  return row.name.toLowerCase().includes(q) || row.image.toLowerCase().includes(q) || row.state.includes(q) || row.id.startsWith(q);
}

const STATE_ORDER: Record<string, number> = { running: 0, paused: 1, restarting: 2, created: 3, exited: 4, dead: 5 };

export function sortRows(rows: ContainerRow[], key: ContainerSortKey, descending: boolean): ContainerRow[] {
  const num = (v: number | undefined) => v ?? -1;
  const compare = (a: ContainerRow, b: ContainerRow): number => {
    switch (key) {
      case 'name': return a.name.localeCompare(b.name);
      case 'image': return a.image.localeCompare(b.image) || a.name.localeCompare(b.name);
      case 'state': return (STATE_ORDER[a.status] ?? 9) - (STATE_ORDER[b.status] ?? 9) || a.name.localeCompare(b.name);
      case 'cpu': return num(a.cpuPercent) - num(b.cpuPercent) || a.name.localeCompare(b.name);
      case 'memory': return num(a.memoryUsage) - num(b.memoryUsage) || a.name.localeCompare(b.name);
      case 'pids': return num(a.pids) - num(b.pids) || a.name.localeCompare(b.name);
    }
  };
  const sorted = [...rows].sort(compare);
  return descending ? sorted.reverse() : sorted;
}

export function visibleContainerRows(list: readonly ContainerSummary[], stats: ReadonlyMap<string, StatsSample | undefined>, filter: string, key: ContainerSortKey, descending: boolean, now = Date.now()): ContainerRow[] {
  return sortRows(containerRows(list, stats, now).filter((r) => matchesFilter(r, filter)), key, descending);
}
