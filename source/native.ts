// The one place that loads the C addon; everything else imports the typed functions from here,
// and the paths of the shim and init binaries built next to it. The shim's wire formats live
// in engine/runtime/monitor-protocol.ts.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';

interface Addon {
  flock(fd: number, exclusive: boolean, nonBlocking: boolean): boolean;
  mountOverlay(lowerdirs: string[], upper: string, work: string, target: string, volatileUpper: boolean): void;
  mount(source: string, target: string, fstype: string, flags: string[], data: string): void;
  umount(target: string, detach: boolean): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  removeTree(path: string): void;
  writeNewFile(path: string, data: Buffer, mode: number, uid: number, gid: number, chown: boolean, atime: number, mtime: number): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  isMountPoint(path: string): boolean;
  createSandbox(netnsPath: string, hostVeth: string, bridge: string, mac: string, ip: string, prefix: number, gateway: string): void;
  createEmptySandbox(netnsPath: string): void;
  deleteLink(name: string): void;
  attachDeviceFilter(cgroupDir: string, rules: string): void;
  spawnDetached(path: string, args: string[]): SpawnedChild;
  reap(pid: number): number | null;
  execReplace(path: string, args: string[]): never;
}

/** A child started by spawnDetached: its fd 3 and stderr are pipes back to us. */
export interface SpawnedChild {
  pid: number;
  statusFd: number;
  stderrFd: number; // non-blocking; -1 when it could not be set up
}

/** Errors thrown by the addon look like Node's own fs errors. */
export interface NativeError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

function findBuildDir(): string {
  // Works from source/ (tsx), from dist/ (bundle) and from any depth below the package root.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'build', 'Release');
    if (fs.existsSync(path.join(candidate, 'strata.node'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('strata native addon not built: run `npm install` (needs python3, make and a C compiler)');
}

const buildDir = findBuildDir();
const addon = createRequire(import.meta.url)(path.join(buildDir, 'strata.node')) as Addon;

export const shimPath = path.join(buildDir, 'strata-shim');
export const initPath = path.join(buildDir, 'strata-init');
export const rootlessHelperPath = path.join(buildDir, 'strata-rootless');

/** cgroup v2 device rules (docker's syntax, "c 1:3 rwm"): an eBPF program attached to the group. */
export function attachDeviceFilter(cgroupDir: string, rules: string[]): void {
  addon.attachDeviceFilter(cgroupDir, rules.join('\n'));
}

/** posix_spawn of path: fds 0–1 /dev/null, 2 and 3 pipes to us, no signal blocked. Reap it with reap(). */
export function spawnDetached(file: string, args: string[]): SpawnedChild {
  return addon.spawnDetached(file, args);
}

/** The exit status of a child from spawnDetached once it has exited (128+signal if killed); null while it runs. */
export function reap(pid: number): number | null {
  return addon.reap(pid);
}

/** execv of path with args (argv[0] is path): this process becomes it; throws only when the exec failed. */
export function execReplace(file: string, args: string[]): never {
  return addon.execReplace(file, args);
}

export function flock(fd: number, exclusive: boolean, nonBlocking: boolean): boolean {
  return addon.flock(fd, exclusive, nonBlocking);
}

/**
 * Overlay mount; lowerdirs[0] is the topmost layer. An empty `upper` mounts read-only.
 * volatileUpper: overlay's "volatile" — the upper is never synced (ignored by kernels before 5.10).
 */
export function mountOverlay(lowerdirs: string[], upper: string, work: string, target: string, volatileUpper = false): void {
  addon.mountOverlay(lowerdirs, upper, work, target, volatileUpper);
}

export type MountFlag =
  | 'bind' | 'rbind' | 'rec' | 'ro' | 'rdonly' | 'rw' | 'remount' | 'move'
  | 'private' | 'rprivate' | 'slave' | 'rslave' | 'shared' | 'rshared' | 'unbindable' | 'runbindable'
  | 'nosuid' | 'nodev' | 'noexec' | 'noatime' | 'nodiratime' | 'relatime' | 'strictatime'
  | 'sync' | 'dirsync' | 'silent';

export function mount(source: string, target: string, fstype: string, flags: MountFlag[], data = ''): void {
  addon.mount(source, target, fstype, flags, data);
}

export function umount(target: string, detach = false): void {
  addon.umount(target, detach);
}

export function mknod(p: string, mode: number, major: number, minor: number): void {
  addon.mknod(p, mode, major, minor);
}

export function lsetxattr(p: string, name: string, value: Buffer): void {
  addon.lsetxattr(p, name, value);
}

/**
 * Creates a file that must not exist yet (a symlink there is not followed) with these bytes, then
 * its owner (when `chown`), mode (special bits included) and times (seconds, fractional): what
 * extracting one small file of a layer takes, in one call instead of five.
 */
export function writeNewFile(p: string, data: Buffer, mode: number, uid: number, gid: number, chown: boolean, atime: number, mtime: number): void {
  addon.writeNewFile(p, data, mode, uid, gid, chown, atime, mtime);
}

/** rm -rf that never follows a symlink nor enters a mount (EXDEV); a missing path is no error. */
export function removeTree(p: string): void {
  addon.removeTree(p);
}

/** null when the attribute is not set. */
export function lgetxattr(p: string, name: string): Buffer | null {
  return addon.lgetxattr(p, name);
}

export function llistxattr(p: string): string[] {
  return addon.llistxattr(p);
}

/** Deletes a network link over rtnetlink (a veth takes its peer along); absent is fine. */
export function deleteLink(name: string): void {
  addon.deleteLink(name);
}

/** A network namespace bound at netnsPath with eth0 (mac, ip/prefix, default route via gateway) paired to hostVeth on bridge. */
export function createSandbox(netnsPath: string, hostVeth: string, bridge: string, mac: string, ip: string, prefix: number, gateway: string): void {
  addon.createSandbox(netnsPath, hostVeth, bridge, mac, ip, prefix, gateway);
}

/** A network namespace bound at netnsPath with `lo` up and nothing else (--network none). */
export function createEmptySandbox(netnsPath: string): void {
  addon.createEmptySandbox(netnsPath);
}

export function isMountPoint(p: string): boolean {
  return addon.isMountPoint(p);
}
