// What a container sees at /sys/fs/cgroup, as docker/runc show it: its own groups only, limits readable.
import type { HostConfig } from '../api.js';
import type { CgroupPaths } from './cgroup-layout.js';
import { cgroupHierarchies, type CgroupHierarchy } from './cgroup-layout.js';
import type { SpecEntries } from './monitor-protocol.js';

export type CgroupnsMode = NonNullable<HostConfig['cgroupns']>;

function onlyUnified(paths: CgroupPaths): boolean {
  const keys = Object.keys(paths);
  return keys.length > 0 && keys.every((k) => k === 'unified');
}

/** docker's default: a private cgroup namespace on a pure cgroup v2 host, the host's on v1 or hybrid. */
export function defaultCgroupns(paths: CgroupPaths): CgroupnsMode {
  return onlyUnified(paths) ? 'private' : 'host';
}

function groupIn(hierarchy: CgroupHierarchy, paths: CgroupPaths): string | undefined {
  if (hierarchy.version === 'v2') return paths.unified;
  const controller = Object.keys(paths).find((c) => hierarchy.options.includes(c));
  return controller === undefined ? undefined : paths[controller];
}

/**
 * The shim's `cgroup_view` entries. Pure v2: a cgroup2 mount, whose root is the container's group in
 * its private cgroup namespace (the host's tree with `--cgroupns host`, as docker). v1 or hybrid: a
 * tmpfs with, per host hierarchy the container has a group in, a bind of that group named as the
 * host names the hierarchy ("cpu,cpuacct" gets the links cpu and cpuacct), whatever the namespace.
 * Read-only unless privileged, as docker.
 */
export function cgroupViewEntries(paths: CgroupPaths, privileged: boolean, hierarchies: CgroupHierarchy[] = cgroupHierarchies()): SpecEntries {
  if (Object.keys(paths).length === 0) return [];
  const entries: SpecEntries = [['cgroup_rw', privileged ? '1' : '0']];
  if (onlyUnified(paths)) return [['cgroup_view', 'cgroup2'], ...entries];
  entries.unshift(['cgroup_view', 'tmpfs']);
  const named = new Set<string>();
  for (const hierarchy of hierarchies) {
    const group = groupIn(hierarchy, paths);
    if (group === undefined || named.has(hierarchy.name)) continue;
    named.add(hierarchy.name);
    entries.push(['cgroup_bind', `${group}\t${hierarchy.name}`]);
  }
  return entries;
}
