// The steps of a start that come before the monitor runs, and their undoing when the start
// fails before the monitor owns them: what the previous run left cleared, the root mounted,
// the cgroups made.
import fs from 'node:fs';
import type { ContainerRecord, ImageRecord } from '../api.js';
import { isMountPoint, umount } from '../../native.js';
import type { ContainerPaths } from '../containers/paths.js';
import type { ImageSource } from '../containers/service.js';
import { mountContainerOverlay, mountReadOnlyView } from '../containers/upper-mount.js';
import { ensureInitLayer } from '../network/init-layer.js';
import type { NetworkService } from '../network/service.js';
import { applyDeviceRules, deviceRule } from '../runtime/cgroup-devices.js';
import { createCgroups, removeCgroups } from '../runtime/cgroups.js';
import type { RootLayers } from '../runtime/userns-spec.js';
import { isRootless } from '../rootless/mode.js';

/** Removes the last run's traces (a root left mounted by a shim that died, its exit and pid files, its socket) and makes the run dirs. */
export function clearPreviousRun(paths: ContainerPaths, id: string): void {
  const rootfs = paths.rootfs(id);
  // left over from a shim that died (a --userns=auto root is two mounts, one over the other)
  for (let i = 0; i < 4 && isMountPoint(rootfs); i++) umount(rootfs, true);
  fs.mkdirSync(paths.runDir(id), { recursive: true, mode: 0o700 });
  fs.mkdirSync(paths.runtimeDir + '/sock', { recursive: true, mode: 0o700 });
  fs.rmSync(paths.exitFile(id), { force: true });
  fs.rmSync(paths.dieClaim(id), { force: true });
  fs.rmSync(paths.pidFile(id), { force: true });
  for (const file of [paths.restartFile(id), paths.stopFile(id), paths.restartPolicyFile(id), paths.healthFile(id)]) fs.rmSync(file, { force: true });
  fs.rmSync(paths.attachSocket(id), { force: true });
}

/** The container's layers: its upper dir over the init layer and the image's layers. */
export function rootLayers(paths: ContainerPaths, record: ContainerRecord, images: ImageSource, image: ImageRecord): RootLayers {
  return { lowers: [ensureInitLayer(paths.dir(record.id)), ...images.layerDirs(image)], upper: paths.upper(record.id), work: paths.work(record.id) };
}

/**
 * Mounts the container's overlay; returns where. With a user namespace of its own the mount is
 * only the engine's read-only view (users, volumes' first content, the health spec): the monitor
 * mounts the root on idmapped layers over it (userns-spec.ts), and unmounts both at the end
 * (unmounting it here would wait an RCU grace period in the middle of the start).
 */
export function mountRoot(paths: ContainerPaths, record: ContainerRecord, layers: RootLayers): string {
  const rootfs = paths.rootfs(record.id);
  if (record.idMapping) mountReadOnlyView(layers.lowers, layers.upper, rootfs);
  else mountContainerOverlay(layers.lowers, layers.upper, layers.work, rootfs, record.hostConfig.autoRemove);
  return rootfs;
}

/** Fresh cgroups with the container's limits and device rules. */
export function createGroups(record: ContainerRecord): void {
  removeCgroups(record.cgroupPaths); // a stale group from a crash would keep old limits
  createCgroups(record.cgroupPaths, record.hostConfig.limits);
  // rootless: no device cgroup is ours (v2's is a BPF program only host root may load), and a user
  // namespace makes no device node anyway
  if (isRootless()) return;
  const deviceRules = (record.hostConfig.devices ?? []).map((d) => deviceRule(d.pathOnHost, d.cgroupPermissions));
  applyDeviceRules(record.cgroupPaths, record.hostConfig.privileged, deviceRules);
}

/** Undoes a start that failed before the monitor ran (once it runs, cleaning up is the monitor's). */
export function undoStart(record: ContainerRecord, rootfs: string, networks: NetworkService): void {
  networks.release(record);
  for (let i = 0; i < 4 && isMountPoint(rootfs); i++) umount(rootfs, true);
  try { removeCgroups(record.cgroupPaths); } catch { /* best effort */ }
}
