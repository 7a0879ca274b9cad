// RUN --mount=type=cache: directories kept in the store between builds, one per id
// (`build-cache-mounts/<sha256 of id>/data`), never part of a layer. `build --no-cache` leaves
// them (docker's too); `builder prune` and `system prune` remove the ones no build is using.
// sharing=shared: every RUN at once; locked: one RUN at a time, the others wait; private: a RUN
// that finds it in use gets a fresh throwaway directory, as BuildKit makes a new instance.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StorePaths } from '../store/paths.js';
import { tryWithFileLock, withFileLock } from '../store/lock.js';
import type { RunMount } from './run-mounts.js';

type CacheMount = Extract<RunMount, { type: 'cache' }>;

export function cacheMountsDir(paths: StorePaths): string {
  return path.join(paths.root, 'build-cache-mounts');
}

/** What first fills a new cache directory (`from`/`source`), written into `dir`; nothing: it starts empty. */
export type CacheSeed = (dir: string) => void;

/**
 * Runs fn with the cache's host directory, holding it as its sharing mode says; a new one is
 * made (seeded, then given the mount's uid, gid and mode) first.
 */
export async function withCacheMount<T>(paths: StorePaths, mount: CacheMount, seed: CacheSeed | undefined, fn: (dir: string) => Promise<T>): Promise<T> {
  const base = cacheMountsDir(paths);
  const hex = crypto.createHash('sha256').update(mount.id).digest('hex');
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  const lock = path.join(base, `${hex}.lock`);
  const home = path.join(base, hex);
  const ensure = () => {
    if (fs.existsSync(path.join(home, 'data'))) return path.join(home, 'data');
    const temp = `${home}.new-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    fs.mkdirSync(temp);
    fill(path.join(temp, 'data'), mount, seed);
    fs.writeFileSync(path.join(temp, 'id'), mount.id);
    fs.renameSync(temp, home);
    return path.join(home, 'data');
  };
  if (mount.sharing === 'locked') return withFileLock(lock, 'exclusive', () => fn(ensure()));
  if (mount.sharing === 'shared') {
    // made under the exclusive lock (two builds may start together), used under a shared one
    await withFileLock(lock, 'exclusive', ensure);
    return withFileLock(lock, 'shared', () => fn(ensure()));
  }
  const held = await tryWithFileLock(lock, 'exclusive', () => fn(ensure()));
  if (held) return held.value;
  const throwaway = path.join(paths.tmpDir, `build-cache-private-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  fs.mkdirSync(throwaway, { mode: 0o700 });
  try {
    fill(path.join(throwaway, 'data'), mount, seed);
    return await fn(path.join(throwaway, 'data'));
  } finally {
    fs.rmSync(throwaway, { recursive: true, force: true });
  }
}

function fill(dir: string, mount: CacheMount, seed: CacheSeed | undefined): void {
  if (seed) seed(dir);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir);
  fs.chownSync(dir, mount.uid, mount.gid);
  fs.chmodSync(dir, mount.mode);
}

/** Removes every cache directory no build holds; returns how many and their bytes. */
export async function pruneCacheMounts(paths: StorePaths): Promise<{ removed: string[]; bytes: number }> {
  const base = cacheMountsDir(paths);
  const removed: string[] = [];
  let bytes = 0;
  for (const name of fs.existsSync(base) ? fs.readdirSync(base) : []) {
    if (!/^[0-9a-f]{64}$/.test(name)) {
      if (name.includes('.new-')) fs.rmSync(path.join(base, name), { recursive: true, force: true }); // a build killed while making one
      continue;
    }
    await tryWithFileLock(path.join(base, `${name}.lock`), 'exclusive', () => {
      const home = path.join(base, name);
      bytes += treeBytes(home);
      fs.rmSync(home, { recursive: true, force: true });
      removed.push(name);
    });
  }
  return { removed, bytes };
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(p);
    else total += fs.lstatSync(p).size;
  }
  return total;
}
