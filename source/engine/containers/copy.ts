// `cp` between a container and the host (or a tar stream), with docker's rules:
//   SRC file → DEST missing: written as DEST (its parent must exist; "DEST/" must exist as a dir)
//              DEST file: overwritten; DEST dir: copied into it under SRC's name
//   SRC dir  → DEST missing: created, SRC's contents copied in; DEST dir: copied into it as
//              DEST/<name>, or only its contents when SRC ends in "/."; DEST file: refused
// Container paths are resolved inside the container root only (scoped-fs.ts); on the host side
// nothing from the archive may write through a symlink.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CopyOptions, CopySource, CopyTarget } from '../api.js';
import { EngineError } from '../errors.js';
import type { ImageService } from '../images/image-service.js';
import { writeTar } from '../archive/pump.js';
import { withPathScope } from './mounted-path.js';
import { withContainerRoot } from './rootfs-access.js';
import { cleanPath, ScopedRoot, type Resolved } from './scoped-fs.js';
import type { ContainerService } from './service.js';
import { packNode } from './tree-pack.js';
import { unpackInto, type UnpackOptions } from './tree-unpack.js';

interface SourceEnd {
  resolved: Resolved;
  name: string; // entry name of the top node; '' when only a directory's contents are copied
  isDir: boolean;
  contentsOnly: boolean;
}

interface Placement {
  scope: ScopedRoot;
  into: string;
  renameTop?: { from: string; to: string };
  followSymlinks: boolean;
}

export async function copyFromContainer(containers: ContainerService, images: ImageService, ref: string, src: string, to: CopyTarget, opts: CopyOptions = {}): Promise<number> {
  return withContainerRoot(containers, images, ref, 'read', (root, record) => withPathScope(root, record, src, 'read', async (scope, inner) => {
    const source = openSource(scope, inner, !!opts.followLink, `in container ${record.name}`, src);
    try {
      if ('stream' in to) return await streamSource(source, to.stream);
      const hostScope = hostPlacement(to.path, source);
      try {
        const owner = process.getuid?.() === 0 ? undefined : { uid: process.getuid!(), gid: process.getgid!() };
        return await transfer(source, hostScope, owner);
      } finally {
        hostScope.scope.close();
      }
    } finally {
      source.resolved.close();
    }
  }));
}

export async function copyToContainer(containers: ContainerService, images: ImageService, ref: string, dest: string, from: CopySource, opts: CopyOptions = {}): Promise<number> {
  const owner = opts.archive ? undefined : { uid: 0, gid: 0 };
  if ('stream' in from) {
    return withContainerRoot(containers, images, ref, 'write', (root, record) => withPathScope(root, record, dest, 'write', async (scope, inner) => {
      const target = scope.lookup(cleanPath(inner), { followLast: true });
      try {
        if (!target.node) throw new EngineError(`Could not find the file ${dest} in container ${record.name}`, 'not-found');
        if (!target.node.stat.isDirectory()) throw new EngineError(`destination "${dest}" must be a directory`, 'invalid');
        return (await unpackInto(scope, from.stream, { into: target.inside, owner })).bytes;
      } finally {
        target.close();
      }
    }));
  }
  const hostSource = openHostSource(from.path, !!opts.followLink);
  try {
    return await withContainerRoot(containers, images, ref, 'write', (root, record) => withPathScope(root, record, dest, 'write', async (scope, inner) => {
      const placement = containerPlacement(scope, inner, hostSource, `${record.name}:${dest}`);
      return transfer(hostSource, placement, owner);
    }));
  } finally {
    hostSource.resolved.close();
    hostSource.scope.close();
  }
}

function openSource(scope: ScopedRoot, src: string, follow: boolean, where: string, shown = src): SourceEnd {
  const contentsOnly = src === '.' || src.endsWith('/.');
  const mustBeDir = contentsOnly || src.endsWith('/');
  const resolved = scope.lookup(cleanPath(src), { followLast: follow || mustBeDir });
  if (!resolved.node) {
    resolved.close();
    throw new EngineError(`Could not find the file ${shown} ${where}${resolved.inside !== cleanPath(src) ? ` (it resolves to ${resolved.inside})` : ''}`, 'not-found');
  }
  const isDir = resolved.node.stat.isDirectory();
  if (mustBeDir && !isDir) {
    resolved.close();
    throw new EngineError(`${shown}: not a directory`, 'invalid');
  }
  const whole = resolved.name === ''; // the root itself: its contents
  return { resolved, name: contentsOnly || whole ? '' : resolved.name, isDir, contentsOnly: contentsOnly || whole };
}

function openHostSource(hostPath: string, follow: boolean): SourceEnd & { scope: ScopedRoot } {
  const absolute = path.resolve(hostPath);
  const parent = path.dirname(absolute);
  if (!fs.existsSync(parent)) throw new EngineError(`lstat ${hostPath}: no such file or directory`, 'not-found');
  // The user's own side: the parent is theirs to name through symlinks; below it we walk by descriptor.
  const scope = new ScopedRoot(fs.realpathSync(parent));
  const keep = hostPath.endsWith('/.') ? `${path.basename(absolute)}/.` : hostPath.endsWith('/') ? `${path.basename(absolute)}/` : path.basename(absolute);
  try {
    const source = openSource(scope, absolute === '/' ? '/' : keep, follow, 'on the host');
    if (source.name !== '' && !source.contentsOnly) source.name = path.basename(absolute);
    return { ...source, scope };
  } catch (err) {
    scope.close();
    throw err;
  }
}

/** Where the entries go when the destination is on the host. */
function hostPlacement(dest: string, source: SourceEnd): Placement {
  const absolute = path.resolve(dest);
  const trailingSlash = dest.endsWith('/') || dest.endsWith('/.');
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  const parent = path.dirname(absolute);
  const plan = placement(source, { exists: stat !== undefined, isDir: !!stat?.isDirectory(), trailingSlash, parentIsDir: !!fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory(), shown: dest });
  const intoHost = plan.into === 'dest' ? absolute : parent;
  if (plan.create) fs.mkdirSync(absolute, 0o755);
  return { scope: new ScopedRoot(fs.realpathSync(intoHost)), into: '/', renameTop: plan.rename ? { from: source.name, to: path.basename(absolute) } : undefined, followSymlinks: false };
}

function containerPlacement(scope: ScopedRoot, dest: string, source: SourceEnd, shown: string): Placement {
  const target = scope.lookup(cleanPath(dest), { followLast: true });
  try {
    const parentIsDir = target.name === '' || target.parent.stat.isDirectory();
    const plan = placement(source, {
      exists: target.node !== undefined,
      isDir: !!target.node?.stat.isDirectory(),
      trailingSlash: dest.endsWith('/') || dest.endsWith('/.'),
      parentIsDir,
      shown,
    });
    const into = plan.into === 'dest' ? target.inside : path.posix.dirname(target.inside);
    if (plan.create) scope.lookup(target.inside, { createDirs: true }).close();
    return { scope, into, renameTop: plan.rename ? { from: source.name, to: target.name } : undefined, followSymlinks: true };
  } finally {
    target.close();
  }
}

interface DestFacts {
  exists: boolean;
  isDir: boolean;
  trailingSlash: boolean;
  parentIsDir: boolean;
  shown: string;
}

/** docker cp's table: into the destination itself or its parent, renamed or not, created or not. */
function placement(source: SourceEnd, dest: DestFacts): { into: 'dest' | 'parent'; rename: boolean; create: boolean } {
  if (dest.exists && dest.isDir) return { into: 'dest', rename: false, create: false };
  if (dest.exists) {
    if (source.isDir) throw new EngineError(`cannot copy a directory to a file: ${dest.shown} is not a directory`, 'invalid');
    if (dest.trailingSlash) throw new EngineError(`${dest.shown}: not a directory`, 'invalid');
    return { into: 'parent', rename: true, create: false };
  }
  if (!dest.parentIsDir) throw new EngineError(`no such directory: the parent of ${dest.shown} does not exist`, 'not-found');
  if (!source.isDir && dest.trailingSlash) throw new EngineError(`no such directory: ${dest.shown} does not exist`, 'not-found');
  if (source.contentsOnly) return { into: 'dest', rename: false, create: true };
  return { into: 'parent', rename: true, create: false };
}

/** Packs the source and unpacks it at the placement, streaming through a pipe of bounded size. */
async function transfer(source: SourceEnd, to: Placement, owner: UnpackOptions['owner']): Promise<number> {
  const pipe = new PassThrough({ highWaterMark: 1 << 20 });
  // Either side failing stops the other: a stalled writer or a starved reader would wait forever.
  let cause: unknown; // the first failure; the other side's is only its echo
  const stop = (err: unknown) => {
    cause ??= err;
    pipe.destroy(err as Error);
    throw err;
  };
  const packing = streamSource(source, pipe, { end: true }).catch(stop);
  const unpacking = unpackInto(to.scope, pipe, { into: to.into, renameTop: to.renameTop, owner, followSymlinks: to.followSymlinks }).catch(stop);
  const results = await Promise.allSettled([packing, unpacking]);
  if (cause !== undefined) throw cause;
  return (results[0] as PromiseFulfilledResult<number>).value;
}

/** The source as a tar stream written to `out`; resolves once everything is handed over. `out` is ended only with end. */
export async function streamSource(source: SourceEnd, out: NodeJS.WritableStream, { end = false } = {}): Promise<number> {
  return writeTar(out, end, (pack) => packNode(pack, source.resolved.parent.fd, source.resolved.name, source.resolved.node!, { name: source.name }));
}
