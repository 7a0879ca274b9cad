// The spec entries of a container in a user namespace of its own (CONTRACT.md: uid_map, gid_map,
// idmap_lower, idmap_upper, idmap_work): the monitor writes the maps and mounts the root on
// idmapped layers, so that the image's files show as the container's root's without a chown.
import type { IdMapping } from '../api.js';
import type { SpecEntries } from './monitor-protocol.js';

export interface RootLayers {
  lowers: string[]; // topmost first, as overlay takes them
  upper: string;
  work: string; // in the same directory as upper
}

// rootfs: where the engine's read-only view is mounted; the monitor's mount goes over it, and the
// second `umount` (after the one of every spec) takes the view away at the end.
export function usernsSpecEntries(mapping: IdMapping, root: RootLayers, rootfs: string): SpecEntries {
  return [
    ['umount', rootfs],
    ['uid_map', `0 ${mapping.uidStart} ${mapping.size}`],
    ['gid_map', `0 ${mapping.gidStart} ${mapping.size}`],
    ...root.lowers.map((dir): [string, string] => ['idmap_lower', dir]),
    ['idmap_upper', root.upper],
    ['idmap_work', root.work],
  ];
}
