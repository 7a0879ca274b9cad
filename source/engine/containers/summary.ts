// How `ps` words a container: docker's COMMAND and STATUS columns.
import type { ContainerState, ContainerSummary } from '../api.js';
import type { ListedRecord } from './list-index.js';

export function commandText(path: string, args: string[]): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [path, ...args].map(quote).join(' ');
}

export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d} days`;
  if (d < 60) return `${Math.floor(d / 7)} weeks`;
  if (d < 730) return `${Math.floor(d / 30)} months`;
  return `${Math.floor(d / 365)} years`;
}

export function statusText(state: ContainerState, now = Date.now()): string {
  switch (state.status) {
    case 'running':
    case 'paused': {
      const up = `Up ${humanDuration(now - Date.parse(state.startedAt))}`;
      return state.paused ? `${up} (Paused)` : up;
    }
    case 'exited':
      return `Exited (${state.exitCode}) ${humanDuration(now - Date.parse(state.finishedAt))} ago`;
    case 'created':
      return 'Created';
    case 'restarting':
      return 'Restarting';
    default:
      return 'Dead';
  }
}

export function containerSummary(r: ListedRecord): ContainerSummary {
  return {
    id: r.id, name: r.name, image: r.config.image, imageId: r.config.imageId,
    command: commandText(r.path, r.args), created: r.created, status: r.state.status,
    statusText: statusText(r.state), exitCode: r.state.exitCode, pid: r.state.pid,
    ...(r.networkSettings?.ports.length ? { ports: r.networkSettings.ports } : {}),
  };
}

// plain comparison: localeCompare would load ICU collation, a visible cost for `ps`
export function newestFirst(list: ContainerSummary[]): ContainerSummary[] {
  return list.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
}
