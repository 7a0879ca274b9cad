// Volumes and networks as their panes show them: each with the containers that use it
// (from the containers' records: a volume mount, the network the container is on), filtered
// and sorted by name; and what a prune would remove. Knows nothing of the screen.
import type { ContainerRecord, NetworkRecord, VolumeRecord } from '../../engine/api.js';
import { networkNamesOf } from '../../engine/docker-shape/container-networks.js';

export type UsersByName = ReadonlyMap<string, readonly string[]>;

/** Volume name → names of the containers mounting it. */
export function volumeUsers(records: readonly ContainerRecord[]): UsersByName {
  const users = new Map<string, string[]>();
  for (const r of records) {
    for (const m of r.mounts ?? []) {
      if (m.type !== 'volume' || !m.name) continue;
      const list = users.get(m.name) ?? [];
      if (!list.includes(r.name)) list.push(r.name);
      users.set(m.name, list);
    }
  }
  return users;
}

/** Network name → names of the containers on it (running or not). */
export function networkUsers(records: readonly ContainerRecord[]): UsersByName {
  const users = new Map<string, string[]>();
  for (const r of records) {
    for (const network of networkNamesOf(r)) users.set(network, [...(users.get(network) ?? []), r.name]);
  }
  return users;
}

export interface VolumeRow {
  name: string;
  driver: string;
  mountpoint: string;
  created: string;
  anonymous: boolean;
  users: readonly string[];
}

export interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  builtin: boolean;
  users: readonly string[];
}

const sortedUsers = (users: UsersByName, name: string) => [...(users.get(name) ?? [])].sort();

function matches(filter: string, ...fields: string[]): boolean {
  const q = filter.toLowerCase();
  return q === '' || fields.some((f) => f.toLowerCase().includes(q));
}

export function volumeRows(volumes: readonly VolumeRecord[], users: UsersByName, filter = ''): VolumeRow[] {
  return volumes
    .map((v) => ({ name: v.name, driver: v.driver, mountpoint: v.mountpoint, created: v.created, anonymous: v.anonymous, users: sortedUsers(users, v.name) }))
    .filter((r) => matches(filter, r.name, ...r.users))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function networkRows(networks: readonly NetworkRecord[], users: UsersByName, filter = ''): NetworkRow[] {
  return networks
    .map((n) => ({ id: n.id, name: n.name, driver: n.driver, subnet: n.subnet, gateway: n.gateway, builtin: n.builtin, users: sortedUsers(users, n.name) }))
    .filter((r) => matches(filter, r.name, r.id, r.subnet, ...r.users))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What `volume prune` removes: volumes no container mounts. */
export function unusedVolumes(rows: readonly VolumeRow[]): VolumeRow[] {
  return rows.filter((r) => r.users.length === 0);
}

/** What `network prune` removes: user networks no container is on. */
export function unusedNetworks(rows: readonly NetworkRow[]): NetworkRow[] {
  return rows.filter((r) => !r.builtin && r.users.length === 0);
}

/** "web, db +3": the users column, short. */
export function usersText(users: readonly string[], shown = 3): string {
  if (users.length === 0) return '-';
  const more = users.length > shown ? ` +${users.length - shown}` : '';
  return users.slice(0, shown).join(', ') + more;
}
