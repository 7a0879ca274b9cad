// The RUN mounts made real for one command: a bind's source copied out of its tree (the
// context minus .dockerignore, a stage, an image, a named context — links resolved inside it,
// so nothing of the host but that tree shows; writes with rw go to the copy and are dropped),
// cache directories held for the command, tmpfs and secrets as the runtime mounts them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MountRequest } from '../api.js';
import type { EngineError } from '../errors.js';
import type { StorePaths } from '../store/paths.js';
import { withCacheMount } from './cache-mounts.js';
import { contextRelative, itemsDigest } from './copy-sources.js';
import type { RunMount } from './run-mounts.js';
import { LinkLoopError } from './source-fs.js';
import { copyTreeOut } from './tree-out.js';
import type { TreeSource } from './tree-source.js';

/** A mount with its source tree found: what the step's key and the run both need. */
export interface ResolvedMount {
  mount: RunMount;
  tree?: TreeSource; // bind, and cache with from=
  rel?: string; // the source inside tree, links resolved
}

/** Finds each bind/cache source in its tree; fails as BuildKit does when it is not there. */
export async function resolveMounts(mounts: RunMount[], treeFor: (from: string | undefined) => Promise<TreeSource>, fail: (why: string) => EngineError): Promise<ResolvedMount[]> {
  const out: ResolvedMount[] = [];
  for (const mount of mounts) {
    if (mount.type !== 'bind' && !(mount.type === 'cache' && mount.from !== undefined)) {
      out.push({ mount });
      continue;
    }
    const tree = await treeFor(mount.from);
    let rel: string;
    try {
      rel = tree.follow(tree.isContext ? contextRelative(mount.source, fail) : mount.source, true);
      if (!tree.fsys.stat(rel)) throw fail(`failed to compute cache key: "/${mount.source}": not found`);
    } catch (err) {
      throw err instanceof LinkLoopError ? fail(`failed to compute cache key: ${err.message}`) : err;
    }
    out.push({ mount, tree, rel });
  }
  return out;
}

/** What of the mounts weighs in the step's key: a bound directory's content, or its image and path. */
export function mountsDigest(resolved: ResolvedMount[]): string {
  return resolved.filter((r) => r.mount.type === 'bind' && r.tree).map((r) => (r.tree!.imageId !== undefined
    ? `${r.tree!.imageId}:${r.rel}`
    : itemsDigest([{ kind: 'tree', fsys: r.tree!.fsys, rel: r.rel! }]))).join('\n');
}

/** Runs fn with the runtime mounts; every copy made for it is removed after, every cache released. */
export async function withRunMounts<T>(paths: StorePaths, resolved: ResolvedMount[], fn: (mounts: MountRequest[]) => Promise<T>): Promise<T> {
  const made: string[] = [];
  const step = async (i: number, mounts: MountRequest[]): Promise<T> => {
    if (i === resolved.length) return fn(mounts);
    const { mount, tree, rel } = resolved[i];
    switch (mount.type) {
      case 'ssh': // the agent's socket itself: connecting needs no write on the mount, but it is not read-only data either
        return step(i + 1, [...mounts, { type: 'bind', source: mount.source, target: mount.target }]);
      case 'secret':
        return step(i + 1, [...mounts, { type: 'bind', source: mount.source, target: mount.target, readOnly: true }]);
      case 'tmpfs':
        return step(i + 1, [...mounts, { type: 'tmpfs', target: mount.target, ...(mount.sizeBytes !== undefined ? { tmpfsSizeBytes: mount.sizeBytes } : {}) }]);
      case 'bind': {
        const dir = path.join(paths.tmpDir, `build-bind-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
        fs.mkdirSync(dir, { mode: 0o700 });
        made.push(dir);
        copyTreeOut(tree!.fsys, rel!, path.join(dir, 'source'));
        return step(i + 1, [...mounts, { type: 'bind', source: path.join(dir, 'source'), target: mount.target, readOnly: !mount.readWrite }]);
      }
      case 'cache': {
        const seed = tree ? (into: string) => copyTreeOut(tree.fsys, rel!, into) : undefined;
        return withCacheMount(paths, mount, seed, (dir) => step(i + 1, [...mounts, { type: 'bind', source: dir, target: mount.target, readOnly: mount.readOnly }]));
      }
    }
  };
  try {
    return await step(0, []);
  } finally {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  }
}
