// How `ps` lists a container: docker's COMMAND column and the summary (STATUS worded by
// format/status.ts), from the few fields of a record that listing needs (what the ps index
// keeps, list-index.ts).
import type { ContainerRecord, ContainerState, ContainerSummary, PublishedPort } from '../api.js';
import { containerStatusText, dockerStateName, MONITOR_GONE_NOTE } from '../format/status.js';
import { monitorGone } from './state.js';
import { networkNamesOf } from '../docker-shape/container-networks.js';

export interface ListedRecord {
  id: string;
  name: string;
  created: string;
  command: string; // commandText of path and args
  image: string;
  imageId: string;
  autoRemove: boolean;
  ports?: PublishedPort[];
  labels?: Record<string, string>;
  networks?: string[]; // absent: only the default bridge (the index keeps it lean)
  state: ContainerState;
  // what reconcile() reads of a container that may be running
  bootId: string;
  cgroupPaths: Record<string, string>;
}

export function listedRecord(r: ContainerRecord): ListedRecord {
  // only the controllers reconcile() reads (isFrozen): the others are long paths nobody lists
  const cgroupPaths: Record<string, string> = {};
  if (r.cgroupPaths.freezer) cgroupPaths.freezer = r.cgroupPaths.freezer;
  if (r.cgroupPaths.unified) cgroupPaths.unified = r.cgroupPaths.unified;
  const networks = networkNamesOf(r);
  return {
    id: r.id, name: r.name, created: r.created, command: commandText(r.path, r.args),
    image: r.config.image, imageId: r.config.imageId, autoRemove: r.hostConfig.autoRemove,
    ...(r.networkSettings?.ports.length ? { ports: r.networkSettings.ports } : {}),
    ...(Object.keys(r.config.labels).length ? { labels: r.config.labels } : {}),
    ...(networks.length !== 1 || networks[0] !== 'bridge' ? { networks } : {}),
    // ps shows the health status alone: the results stay out of the index
    state: r.state.health ? { ...r.state, health: { ...r.state.health, log: [] } } : r.state, bootId: r.bootId, cgroupPaths,
  };
}

export function commandText(path: string, args: string[]): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [path, ...args].map(quote).join(' ');
}

export function listedSummary(r: ListedRecord, now = Date.now()): ContainerSummary {
  return {
    id: r.id, name: r.name, image: r.image, imageId: r.imageId, command: r.command, created: r.created,
    status: dockerStateName(r.state), statusText: statusText(r.state, now), exitCode: r.state.exitCode, pid: r.state.pid,
    startedAt: r.state.startedAt, finishedAt: r.state.finishedAt,
    ...(r.ports ? { ports: r.ports } : {}),
    ...(r.labels ? { labels: r.labels } : {}),
    ...(monitorGone(r.state) ? { monitorGone: true } : {}),
    networks: r.networks ?? ['bridge'],
  };
}

// docker has no word for a container whose monitor died under it: its own words, plus that
function statusText(state: ContainerState, now: number): string {
  const text = containerStatusText(state, now);
  return monitorGone(state) ? `${text}${MONITOR_GONE_NOTE}` : text;
}

export function containerSummary(r: ContainerRecord): ContainerSummary {
  return listedSummary(listedRecord(r));
}

// plain comparison: localeCompare would load ICU collation, a visible cost for `ps`
export function newestFirst(list: ContainerSummary[]): ContainerSummary[] {
  return list.sort((a, b) => compareNewestFirst(a.created, b.created));
}

export function compareNewestFirst(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
