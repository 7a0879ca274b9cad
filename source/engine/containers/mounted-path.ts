// Which filesystem a container path is on for cp: a bind or volume mount's source when the path
// is at or below its destination (those are mounted only inside the container's namespace, so
// the host reaches them at their source), otherwise the container root. Resolution inside a
// mount is scoped to the mount's source, like the root's is scoped to the root.
import type { ContainerRecord, MountPoint } from '../api.js';
import { EngineError } from '../errors.js';
import { cleanPath, ScopedRoot } from './scoped-fs.js';

export async function withPathScope<T>(
  root: ScopedRoot,
  record: ContainerRecord,
  userPath: string,
  access: 'read' | 'write',
  fn: (scope: ScopedRoot, path: string) => Promise<T>,
): Promise<T> {
  const clean = cleanPath(userPath);
  const mount = mountOf(record.mounts ?? [], clean);
  if (!mount) {
    if (access === 'write' && record.hostConfig.readOnly) throw new EngineError(`container rootfs is marked read-only: cannot copy to ${userPath} in container ${record.name}`, 'conflict');
    return fn(root, userPath);
  }
  if (mount.type === 'tmpfs') throw new EngineError(`${userPath} is on a tmpfs mount of container ${record.name}, which cp cannot reach`, 'invalid');
  if (access === 'write' && !mount.rw) throw new EngineError(`mount ${mount.destination} of container ${record.name} is read-only: cannot copy to ${userPath}`, 'conflict');
  const rest = clean.slice(mount.destination.length) || '/';
  const suffix = userPath.endsWith('/.') ? '/.' : userPath.endsWith('/') ? '/' : '';
  const scope = new ScopedRoot(mount.source);
  try {
    return await fn(scope, rest === '/' ? rest + suffix.replace(/^\//, '') : rest + suffix);
  } finally {
    scope.close();
  }
}

/** The mount with the longest destination that contains path. */
function mountOf(mounts: MountPoint[], path: string): MountPoint | undefined {
  let best: MountPoint | undefined;
  for (const m of mounts) {
    if (path !== m.destination && !path.startsWith(`${m.destination}/`)) continue;
    if (!best || m.destination.length > best.destination.length) best = m;
  }
  return best;
}
