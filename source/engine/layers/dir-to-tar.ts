// Directory → layer tar: the reverse of extract.ts. Used for a container's upper dir (commit,
// RUN steps) and for the staging dirs COPY/ADD fill. With `overlay`, overlayfs's own markers
// become the OCI forms: a 0/0 character device is a `.wh.NAME` whiteout, a directory with
// trusted.overlay.opaque=y gets a `.wh..wh..opq` entry. Owners, modes, times, symlinks,
// hardlinks, devices, fifos and xattrs (SCHILY.xattr.*) are kept; overlay's bookkeeping xattrs
// (trusted.overlay.*) never leave the host; sockets are skipped, as docker does.
//
// Speed: entries are walked and small files read synchronously into ~256 KiB batches (a few
// syscalls each: the threadpool round trip costs more than the call), and the stream yields a
// batch at a time, so the consumers (hashing, gzip, extraction) see few, large chunks.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../errors.js';
import { lgetxattr, llistxattr } from './native-fs.js';
import { END_OF_ARCHIVE, entryHeader, padding, type TarEntry } from './tar-header.js';
import { OPAQUE_MARKER, OPAQUE_XATTR, WHITEOUT_PREFIX, isOverlayXattr } from './whiteout.js';

export interface PackOptions {
  overlay?: boolean; // convert overlayfs whiteouts and opaque dirs
}

const SMALL_FILE = 1 << 20;
const BATCH_BYTES = 256 * 1024;

export function isWhiteout(stat: fs.Stats): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0;
}

export function isOpaque(abs: string): boolean {
  const value = lgetxattr(abs, OPAQUE_XATTR);
  return value !== null && value.toString() === 'y';
}

/** A tar stream of everything under dir (dir itself not included: the layer root is not an entry). */
export function packDirectory(dir: string, opts: PackOptions = {}): Readable {
  return Readable.from(entries(dir, opts), { objectMode: false, highWaterMark: 1 << 20 });
}

async function* entries(dir: string, opts: PackOptions): AsyncGenerator<Buffer> {
  const links = new Map<string, string>(); // dev:ino → first path packed
  const pending: string[] = listSorted(dir, '').reverse(); // a stack: the next entry is last
  let batch: Buffer[] = [];
  let bytes = 0;
  const add = (buf: Buffer) => {
    batch.push(buf);
    bytes += buf.length;
  };
  const flush = () => {
    const out = batch.length === 1 ? batch[0] : Buffer.concat(batch, bytes);
    batch = [];
    bytes = 0;
    return out;
  };
  try {
    // Depth-first in name order: a parent always precedes its children.
    while (pending.length > 0) {
      const rel = pending.pop()!;
      const abs = path.join(dir, rel);
      const st = fs.lstatSync(abs);
      const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000), size: 0 };
      if (opts.overlay && isWhiteout(st)) {
        const parent = path.posix.dirname(rel);
        const name = `${parent === '.' ? '' : `${parent}/`}${WHITEOUT_PREFIX}${path.posix.basename(rel)}`;
        add(entryHeader({ ...base, name, type: 'file', mode: 0o644, uid: 0, gid: 0 }));
      } else if (st.isDirectory()) {
        add(entryHeader({ ...base, name: `${rel}/`, type: 'directory', pax: xattrPax(abs) }));
        if (opts.overlay && isOpaque(abs)) add(entryHeader({ ...base, name: `${rel}/${OPAQUE_MARKER}`, type: 'file', mode: 0o644, uid: 0, gid: 0 }));
        const children = listSorted(dir, rel);
        for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
      } else if (st.isFile()) {
        const key = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? links.get(key) : undefined;
        const pax = xattrPax(abs);
        if (first !== undefined) {
          add(entryHeader({ ...base, name: rel, type: 'link', linkname: first, pax }));
        } else {
          if (st.nlink > 1) links.set(key, rel);
          add(entryHeader({ ...base, name: rel, type: 'file', size: st.size, pax }));
          if (st.size <= SMALL_FILE) add(readSmall(abs, st.size));
          else {
            yield flush();
            yield* readLarge(abs, st.size);
          }
          add(Buffer.alloc(padding(st.size)));
        }
      } else if (st.isSymbolicLink()) {
        add(entryHeader({ ...base, name: rel, type: 'symlink', linkname: fs.readlinkSync(abs), pax: xattrPax(abs) }));
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        add(entryHeader({ ...base, name: rel, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major(st.rdev), devminor: minor(st.rdev), pax: xattrPax(abs) }));
      } else if (st.isFIFO()) {
        add(entryHeader({ ...base, name: rel, type: 'fifo', pax: xattrPax(abs) }));
      }
      if (bytes >= BATCH_BYTES) yield flush();
    }
    add(END_OF_ARCHIVE);
    yield flush();
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`cannot pack ${dir}: ${(err as Error).message}`, 'internal');
  }
}

function listSorted(dir: string, rel: string): string[] {
  const names = fs.readdirSync(rel === '' ? dir : path.join(dir, rel)).sort();
  return rel === '' ? names : names.map((n) => `${rel}/${n}`);
}

function readSmall(abs: string, size: number): Buffer {
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const data = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = fs.readSync(fd, data, offset, size - offset, offset);
      if (n === 0) throw new EngineError(`${abs} shrank while being packed`, 'internal');
      offset += n;
    }
    return data;
  } finally {
    fs.closeSync(fd);
  }
}

async function* readLarge(abs: string, size: number): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of fs.createReadStream(abs, { highWaterMark: 1 << 20, end: size - 1 })) {
    read += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (read !== size) throw new EngineError(`${abs} changed size while being packed`, 'internal');
}

function xattrPax(abs: string): Record<string, string> | undefined {
  let names: string[];
  try {
    names = llistxattr(abs);
  } catch {
    return undefined;
  }
  let pax: Record<string, string> | undefined;
  for (const name of names) {
    if (isOverlayXattr(name)) continue;
    const value = lgetxattr(abs, name);
    if (value === null) continue;
    const text = value.toString('utf8');
    // PAX values are UTF-8: a binary value would not survive, so it is not packed.
    if (!Buffer.from(text, 'utf8').equals(value)) continue;
    (pax ??= {})[`SCHILY.xattr.${name}`] = text;
  }
  return pax;
}

// glibc's gnu_dev_major/minor
function major(dev: number): number {
  return ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
}
function minor(dev: number): number {
  return (dev & 0xff) | ((dev >>> 12) & ~0xff);
}
