// Whether a container's cgroup is frozen, apart from the rest of cgroups.ts: `ps` asks this
// for every running container and should not load what limits and stats need.
import { tryRead } from './cgroup-files.js';
import type { CgroupPaths } from './cgroup-layout.js';

export function isFrozen(paths: CgroupPaths): boolean {
  if (paths.freezer) return tryRead(`${paths.freezer}/freezer.state`)?.trim() === 'FROZEN';
  if (paths.unified) return (tryRead(`${paths.unified}/cgroup.events`) ?? '').split('\n').includes('frozen 1');
  return false;
}
