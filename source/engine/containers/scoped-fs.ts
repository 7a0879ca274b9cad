// Race-free access to a container's root from the host, without chroot and without openat in
// Node: every step opens ONE component relative to an already-open directory through
// /proc/self/fd/<dirfd>/<name> with O_PATH|O_NOFOLLOW, then fstat()s the descriptor it got.
// A symlink is therefore never followed by the kernel; we read it and resolve its target
// ourselves against the container root, so nothing the container does (even swapping a
// directory for a symlink mid-copy) can lead a walk out of the root (CVE-2018-15664 class).
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';

const O_PATH = 0o10000000; // not in fs.constants; same value on every Linux architecture Node runs on
const O_CLOEXEC = 0o2000000;
const MAX_LINKS = 40;

export interface Node {
  fd: number; // O_PATH descriptor of exactly this inode
  stat: fs.Stats;
}

/** `/proc/self/fd/<fd>/<name>`: the kernel resolves the descriptor, then the one name below it. */
export function at(dirFd: number, name: string): string {
  return `/proc/self/fd/${dirFd}/${name}`;
}

/** The inode an O_PATH descriptor holds, as a path the kernel resolves without any lookup by name. */
export function self(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

export function openNode(dirFd: number, name: string): Node | undefined {
  let fd: number;
  try {
    fd = fs.openSync(at(dirFd, name), O_PATH | fs.constants.O_NOFOLLOW | O_CLOEXEC);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { fd, stat: fs.fstatSync(fd) };
}

export function closeNode(node: Node | undefined): void {
  if (node) fs.closeSync(node.fd);
}

export interface Resolved {
  parent: Node; // the directory holding the last component (the root for "/")
  name: string; // last component; '' when the path is the root itself
  node?: Node; // undefined when the last component does not exist
  inside: string; // the canonical path inside the root, symlinks resolved
  close(): void;
}

export interface LookupOptions {
  followLast?: boolean; // follow a symlink in the last component (still inside the root)
  createDirs?: boolean; // make missing directories on the way (mode 0755), the last one too
  noSymlinks?: boolean; // refuse any symlink on the way instead of following it (host-side extraction)
}

/** A container root (or any directory) that paths are resolved in, never out of. */
export class ScopedRoot {
  readonly root: Node;

  constructor(readonly hostPath: string) {
    const fd = fs.openSync(hostPath, O_PATH | fs.constants.O_DIRECTORY | O_CLOEXEC);
    this.root = { fd, stat: fs.fstatSync(fd) };
  }

  close(): void {
    fs.closeSync(this.root.fd);
  }

  /**
   * Resolves `inside` (absolute or relative to the root). Intermediate symlinks are followed
   * within the root, ".." never climbs above it. Throws ENOENT/ENOTDIR/ELOOP as EngineErrors.
   */
  lookup(inside: string, opts: LookupOptions = {}): Resolved {
    const parts = components(inside);
    const stack: Node[] = [this.root];
    const names: string[] = [];
    const owned = new Set<Node>();
    let links = 0;
    let last: { name: string; node?: Node } | undefined;
    const close = () => {
      for (const n of owned) closeNode(n);
      owned.clear();
    };
    try {
      while (parts.length > 0) {
        const part = parts.shift()!;
        if (part === '..') {
          if (stack.length > 1) {
            stack.pop();
            names.pop();
          }
          continue;
        }
        const isLast = parts.length === 0;
        const dir = stack[stack.length - 1];
        let node = openNode(dir.fd, part);
        if (node === undefined && opts.createDirs) {
          try {
            fs.mkdirSync(at(dir.fd, part), 0o755);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          }
          node = openNode(dir.fd, part);
        }
        if (node === undefined) {
          if (isLast) {
            last = { name: part };
            break;
          }
          throw notFound(inside, [...names, part]);
        }
        owned.add(node);
        if (node.stat.isSymbolicLink() && (!isLast || opts.followLast || opts.createDirs)) {
          if (opts.noSymlinks) throw new EngineError(`refusing to write through the symlink /${[...names, part].join('/')} (under ${this.hostPath})`, 'invalid');
          if (++links > MAX_LINKS) throw new EngineError(`${inside}: too many levels of symbolic links`, 'invalid');
          const target = fs.readlinkSync(at(dir.fd, part));
          owned.delete(node);
          closeNode(node);
          if (target.startsWith('/')) {
            stack.length = 1;
            names.length = 0;
          }
          parts.unshift(...components(target));
          continue;
        }
        if (isLast && !opts.createDirs) {
          last = { name: part, node };
          break;
        }
        if (!node.stat.isDirectory()) throw new EngineError(`${inside}: /${[...names, part].join('/')} is not a directory`, 'invalid');
        stack.push(node);
        names.push(part);
      }
      if (last === undefined) {
        // The path named a directory on the stack itself ("/", "a/..", or createDirs)
        const node = stack.pop()!;
        const name = names.pop() ?? '';
        const parent = stack[stack.length - 1] ?? this.root;
        return { parent, name, node: { fd: node.fd, stat: node.stat }, inside: `/${[...names, name].filter(Boolean).join('/')}`, close };
      }
      return { parent: stack[stack.length - 1], name: last.name, node: last.node, inside: `/${[...names, last.name].join('/')}`, close };
    } catch (err) {
      close();
      if (err instanceof EngineError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOTDIR') throw new EngineError(`${inside}: not a directory`, 'invalid');
      if (e.code === 'ELOOP') throw new EngineError(`${inside}: too many levels of symbolic links`, 'invalid');
      throw new EngineError(`cannot resolve ${inside}: ${e.message}`, 'internal');
    }
  }
}

function notFound(inside: string, parts: string[]): EngineError {
  return new EngineError(`Could not find the file ${inside} in container: /${parts.join('/')} does not exist`, 'not-found');
}

export function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/** Lexically cleaned absolute path ("a/./b/../c" → "/a/c"): how docker reads the user's path. */
export function cleanPath(p: string): string {
  return path.posix.normalize(`/${p}`);
}
