// Containers as the table shows them: summaries joined with their latest stats, filtered
// and sorted. Knows nothing of the screen.
import type { ContainerSummary, StatsSample } from '../../engine/api.js';

export interface ContainerRow {
  id: string;
  name: string;
  image: string;
  status: ContainerSummary['status'];
  state: string; // running / paused / exited (3) / created
  uptime: string;
  cpuPercent?: number;
  memoryUsage?: number;
  pids?: number;
  summary: ContainerSummary;
}

export const CONTAINER_SORT_KEYS = ['name', 'image', 'state', 'cpu', 'memory', 'pids'] as const;
export type ContainerSortKey = (typeof CONTAINER_SORT_KEYS)[number];

export function stateLabel(c: ContainerSummary): string {
  if (c.status === 'exited') return `exited (${c.exitCode})`;
  return c.status;
}

/** "Up 3 minutes (Paused)" → "3 minutes": the engine already knows how long it has been up. */
export function uptimeOf(c: ContainerSummary): string {
  if (c.status !== 'running' && c.status !== 'paused') return '';
  return c.statusText.replace(/^Up\s+/, '').replace(/\s*\(Paused\)$/, '');
}

export function containerRows(list: readonly ContainerSummary[], stats: ReadonlyMap<string, StatsSample | undefined>): ContainerRow[] {
  return list.map((c) => {
    const live = c.status === 'running' || c.status === 'paused';
    const s = live ? stats.get(c.id) : undefined;
    return {
      id: c.id,
      name: c.name,
      image: c.image,
      status: c.status,
      state: stateLabel(c),
      uptime: uptimeOf(c),
      cpuPercent: s?.cpuPercent,
      memoryUsage: s?.memoryUsage,
      pids: s?.pids,
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

export function visibleContainerRows(list: readonly ContainerSummary[], stats: ReadonlyMap<string, StatsSample | undefined>, filter: string, key: ContainerSortKey, descending: boolean): ContainerRow[] {
  return sortRows(containerRows(list, stats).filter((r) => matchesFilter(r, filter)), key, descending);
}
