// The merged filesystem of a container, for cp and export, running or not. A running container's
// overlay is used as it is mounted (changes are visible inside at once). A stopped one is mounted
// for the duration in a private directory under the runtime dir: read-only with its upper dir as
// the top lowerdir for reading, or read-write on its upper/work dirs for writing — under the
// container's lock, so `start` waits instead of mounting the same upper dir twice.
import fs from 'node:fs';
import path from 'node:path';
import { type ContainerRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { isMountPoint, mountOverlay, umount } from '../../native.js';
import { mountContainerOverlay } from './upper-mount.js';
import type { ImageService } from '../images/image-service.js';
import { ensureInitLayer } from '../network/init-layer.js';
import { withNonReentrantLock } from '../store/lock.js';
import { ScopedRoot } from './scoped-fs.js';
import type { ContainerService } from './service.js';

export type RootAccess = 'read' | 'write';

export async function withContainerRoot<T>(
  containers: ContainerService,
  images: ImageService,
  ref: string,
  access: RootAccess,
  fn: (scope: ScopedRoot, record: ContainerRecord) => Promise<T>,
): Promise<T> {
  const found = containers.get(ref);
  const paths = containers.paths;
  return withNonReentrantLock(paths.lock(found.id), async () => {
    const record = containers.get(found.id);
    const merged = paths.rootfs(record.id);
    const live = record.state.running && isMountPoint(merged);
    // A running --userns=auto container's root shows its files with the range's ids: read a
    // view of its layers instead (the host's ids, as they are on disk and in images); writing
    // through it would need the range's credentials.
    if (live && record.idMapping && access === 'write') {
      throw new EngineError(`cannot copy into running container ${record.name}: it runs in a user namespace (--userns=auto), and strata copies into such a container only while it is stopped`, 'conflict');
    }
    if (live && !record.idMapping) return withScope(merged, (scope) => fn(scope, record));

    const image = await images.resolve(record.config.imageId);
    // The same stack `start` mounts: the init layer (empty /etc/hosts & co.) above the image's layers
    const lowers = [ensureInitLayer(paths.dir(record.id)), ...images.layerDirs(image)];
    const mountsDir = path.join(paths.runtimeDir, 'mnt');
    fs.mkdirSync(mountsDir, { recursive: true, mode: 0o700 });
    const target = fs.mkdtempSync(path.join(mountsDir, `${record.id.slice(0, 12)}-`));
    try {
      if (access === 'read') mountOverlay([paths.upper(record.id), ...lowers], '', '', target);
      else mountContainerOverlay(lowers, paths.upper(record.id), paths.work(record.id), target, record.hostConfig.autoRemove);
      try {
        return await withScope(target, (scope) => fn(scope, record));
      } finally {
        umount(target, true);
      }
    } finally {
      fs.rmdirSync(target);
    }
  });
}

async function withScope<T>(dir: string, fn: (scope: ScopedRoot) => Promise<T>): Promise<T> {
  const scope = new ScopedRoot(dir);
  try {
    return await fn(scope);
  } finally {
    scope.close();
  }
}
