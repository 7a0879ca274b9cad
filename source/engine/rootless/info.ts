// What rootless strata uses on this host, piece by piece, for `strata info`: the id maps of
// the user namespace, the storage, cgroups (delegated or none, and what that refuses), the
// networks it can give.
import fs from 'node:fs';
import type { RootlessInfo } from '../api.js';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';
import { rootlessIds } from './mode.js';
import { cgroupAbsence } from './refusals.js';
import { slirpUnavailable } from './slirp.js';

/** /proc/self/uid_map or gid_map as "INSIDE:OUTSIDE:COUNT" entries. */
function readMap(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).join(':'));
  } catch {
    return [];
  }
}

export function rootlessInfo(layout: CgroupLayout): RootlessInfo {
  const ids = rootlessIds();
  if (!ids) return { rootless: false };
  const controllers = Object.keys(layout.controllers);
  const slirpMissing = slirpUnavailable();
  const v2 = layout.unified && Object.values(layout.controllers).every((p) => p?.version === 'v2');
  return {
    rootless: true,
    uid: ids.uid,
    gid: ids.gid,
    uidMap: readMap('/proc/self/uid_map'),
    gidMap: readMap('/proc/self/gid_map'),
    storage: 'overlayfs mounted in the user namespace (userxattr), layers extracted there',
    cgroups: controllers.length === 0
      ? `none (${cgroupAbsence(layout)}): limits (--memory, --cpus, --pids-limit, …), update and pause are refused`
      : `${v2 ? 'v2' : 'v1'} delegated: ${controllers.join(' ')}${layout.unified ? ` under ${layout.unified}` : ''}`,
    networks: slirpMissing
      ? `none, host; not slirp4netns: ${slirpMissing}; user-defined bridge networks need root`
      : 'slirp4netns (the default, -p through its host forwards), none, host; user-defined bridge networks need root',
  };
}
