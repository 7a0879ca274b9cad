// Tar → layer directory, as an overlay lowerdir wants it, computing the diffID on the way.
// GNU sparse members (PAX formats 0.0, 0.1, 1.0) become sparse files (gnu-sparse.ts).
//
// Safety: nothing is ever written outside `into`. Entry names are normalised (entry-path.ts);
// every parent directory is verified with lstat to be a real directory inside the layer (or
// created), so an earlier symlink can never redirect a later entry; the last component is
// never followed (O_NOFOLLOW|O_EXCL, lchown, lutimes, link(2) which does not dereference).
//
// Speed: every entry is created directly (O_EXCL and friends) and only on EEXIST is the old
// entry looked at and removed, so the common case costs no extra lstat. Small entries use
// synchronous calls: each is a few cheap syscalls, and a trip through libuv's threadpool per
// call costs more than the call (measured 2-3x slower); the loop still yields between tar chunks.
// A regular file is created with its own permission bits and read back with one fstat: owner and
// mode are set only where they came out different (fstat is cheaper than fchown + fchmod, and
// nearly every file of an image is root's with a mode the umask leaves alone).
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type tar from 'tar-stream';
import { tarStream } from './tar-stream.js';
import { EngineError } from '../errors.js';
import { drainOrClose } from './backpressure.js';
import { plainTar, type ByteSource } from './decompress.js';
import { entryPath } from './entry-path.js';
import { type SparseMember, sparseMember, writeSparse } from './gnu-sparse.js';
import { lsetxattr, mknod, S_IFBLK, S_IFCHR, S_IFIFO, writeNewFile } from './native-fs.js';
import { inUserNamespace } from '../rootless/mode.js';
import { OPAQUE_MARKER, OPAQUE_XATTR, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX, isOverlayXattr } from './whiteout.js';

type EntryBody = AsyncIterable<Buffer>;

export interface ExtractResult {
  diffId: string; // sha256 of the uncompressed tar
  size: number; // bytes of regular files and symlink targets, hardlinks counted once (what `du --apparent-size` would say)
  files: number; // entries materialised, whiteouts included
  warnings: string[]; // things skipped on purpose, e.g. an xattr the tar could not carry intact
}

const SMALL_FILE = 1 << 20; // read into memory and written synchronously; bigger ones stream asynchronously
const XATTR_PAX_PREFIX = 'SCHILY.xattr.';
const CREATE_FILE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

/** Extracts a plain or gzip-compressed tar into the existing directory `into`. On failure `into` is left partly written: the caller discards it. */
export async function extractLayer(source: ByteSource, into: string, maxBytes = Infinity): Promise<ExtractResult> {
  const hash = crypto.createHash('sha256');
  const extract = tarStream().extract();
  const writer = new LayerWriter(into);

  let feedError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of plainTar(source, maxBytes)) {
        if (extract.destroyed) return;
        hash.update(chunk as Buffer);
        if (!extract.write(chunk)) await drainOrClose(extract);
      }
      (extract as unknown as { end(): void }).end();
    } catch (err) {
      feedError = err; // set before the destroy, so the entry loop sees it when it fails
      extract.destroy(err as Error);
      throw err;
    }
  })();
  feeding.catch(() => { /* reported through feedError or awaited below */ });

  try {
    for await (const entry of extract) {
      await writer.entry(entry.header, entry as unknown as EntryBody);
    }
    await feeding;
    writer.finish();
  } catch (err) {
    extract.destroy(err as Error);
    // Not awaiting the feeder: it may be waiting on a slow source (a pipe); stop the source instead.
    (source as { destroy?: (e?: Error) => void }).destroy?.();
    // A decompression or read failure explains a tar-level error better than tar-stream does.
    if (feedError instanceof EngineError) throw feedError;
    if (err instanceof EngineError) throw err;
    if (feedError !== undefined) throw new EngineError(`cannot read the layer: ${(feedError as Error).message}`, 'internal');
    throw new EngineError(`invalid layer tar: ${(err as Error).message}`, 'invalid');
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size: writer.size, files: writer.files, warnings: writer.warnings };
}

async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of body) { /* discard */ }
}

async function readAll(body: AsyncIterable<Buffer>, size: number, name: string): Promise<Buffer> {
  let data: Buffer | undefined;
  let offset = 0;
  for await (const chunk of body) {
    if (data === undefined && chunk.length === size) {
      data = chunk; // the whole file in one piece (the usual case): written from where it lies, not copied
      offset = size;
      continue;
    }
    data ??= Buffer.allocUnsafe(size);
    if (offset + chunk.length > size) throw new EngineError(`layer entry ${JSON.stringify(name)}: more data than its header says`, 'invalid');
    chunk.copy(data, offset);
    offset += chunk.length;
  }
  if (offset !== size) throw new EngineError(`layer entry ${JSON.stringify(name)}: tar ends inside the file`, 'invalid');
  return data ?? Buffer.alloc(0);
}

interface Meta {
  mode: number;
  uid: number;
  gid: number;
  atime: number; // seconds, fractional
  mtime: number;
  xattrs: Array<[string, Buffer]>;
}

class LayerWriter {
  size = 0;
  files = 0;
  readonly warnings: string[] = [];
  private readonly dirs = new Set<string>(['']); // relative paths verified to be real directories
  private readonly dirTimes = new Map<string, [number, number]>(); // set last: children change them
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly root: string) {}

  private abs(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, rel);
  }

  async entry(header: tar.Header, body: EntryBody): Promise<void> {
    let name = header.name;
    try {
      const sparse = header.type === 'file' ? sparseMember(header.pax as Record<string, string> | undefined, name) : undefined;
      name = sparse?.name ?? name; // formats 0.1 and 1.0 give the real name apart
      await this.apply(header, entryPath(name), body, sparse);
    } catch (err) {
      throw explain(err, name);
    }
  }

  finish(): void {
    for (const [rel, [atime, mtime]] of this.dirTimes) fs.lutimesSync(this.abs(rel), atime, mtime);
  }

  private async apply(h: tar.Header, rel: string, body: EntryBody, sparse?: SparseMember): Promise<void> {
    const meta = this.meta(h);
    if (h.type === 'file' || h.type === 'contiguous-file') {
      // read first: the body must be consumed whatever happens next
      if (!sparse && h.size <= SMALL_FILE && !rel.split('/').pop()!.startsWith(WHITEOUT_PREFIX)) {
        const data = await readAll(body, h.size, h.name);
        this.prepare(rel, h.name);
        this.create(rel, () => this.writeSmallFile(rel, meta, data));
        this.files++;
        this.size += h.size;
        return;
      }
    } else {
      await drain(body);
    }
    if (rel === '') {
      if (h.type !== 'directory') throw new EngineError(`layer entry ${JSON.stringify(h.name)}: only a directory can stand for the layer root`, 'invalid');
      this.setDirMeta('', meta);
      return;
    }
    const parent = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    const base = path.posix.basename(rel);
    if (base.startsWith(WHITEOUT_PREFIX)) {
      if (h.type === 'file' || h.type === 'contiguous-file') await drain(body);
      this.whiteout(h.name, parent, base);
      return;
    }
    this.ensureDir(parent, h.name);
    const abs = this.abs(rel);

    switch (h.type) {
      case 'file':
      case 'contiguous-file': {
        let file: fsp.FileHandle;
        try {
          file = await fsp.open(abs, CREATE_FILE, createMode(meta));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          this.clear(rel);
          file = await fsp.open(abs, CREATE_FILE, createMode(meta));
        }
        try {
          if (sparse) await writeSparse(file, sparse, body, h.size ?? 0, h.name);
          else for await (const chunk of body) await writeFully(file, chunk);
          const created = await file.stat();
          if (this.asRoot && needsChown(created, meta)) await file.chown(meta.uid, meta.gid);
          if (needsChmod(created, meta)) await file.chmod(meta.mode);
          if (meta.xattrs.length > 0) this.setXattrs(abs, meta.xattrs);
          await file.utimes(meta.atime, meta.mtime);
        } finally {
          await file.close();
        }
        this.files++;
        this.size += sparse ? sparse.realSize : h.size;
        return;
      }
      case 'directory':
        this.makeDir(rel);
        this.setDirMeta(rel, meta);
        this.files++;
        return;
      case 'symlink': {
        const target = h.linkname ?? '';
        this.create(rel, () => fs.symlinkSync(target, abs));
        if (this.asRoot) fs.lchownSync(abs, meta.uid, meta.gid);
        this.setXattrs(abs, meta.xattrs);
        fs.lutimesSync(abs, meta.atime, meta.mtime);
        this.files++;
        this.size += Buffer.byteLength(target);
        return;
      }
      case 'link':
        this.hardlink(h, rel);
        this.files++;
        return;
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        const kind = h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR;
        this.create(rel, () => mknod(abs, kind | (meta.mode & 0o777), h.devmajor ?? 0, h.devminor ?? 0));
        if (this.asRoot) fs.lchownSync(abs, meta.uid, meta.gid);
        fs.chmodSync(abs, meta.mode); // the node just made: chmod cannot reach anything else
        this.setXattrs(abs, meta.xattrs);
        fs.lutimesSync(abs, meta.atime, meta.mtime);
        this.files++;
        return;
      }
      default:
        throw new EngineError(`layer entry ${JSON.stringify(h.name)}: unsupported tar entry type ${String(h.type)}`, 'invalid');
    }
  }

  /** Parent checks for a regular file entry, done before its data is written. */
  private prepare(rel: string, name: string): void {
    if (rel === '') throw new EngineError(`layer entry ${JSON.stringify(name)}: only a directory can stand for the layer root`, 'invalid');
    this.ensureDir(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel), name);
  }

  /** Runs make(); when something is already at rel, removes it and runs make() once more. */
  private create(rel: string, make: () => void): void {
    try {
      make();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      this.clear(rel);
      make();
    }
  }

  private meta(h: tar.Header): Meta {
    const pax = ((h as tar.Header).pax ?? {}) as Record<string, string>;
    const mtime = pax.mtime !== undefined ? Number(pax.mtime) : (h.mtime?.getTime() ?? 0) / 1000;
    const atime = pax.atime !== undefined ? Number(pax.atime) : mtime;
    const xattrs: Array<[string, Buffer]> = [];
    for (const [key, value] of Object.entries(pax)) {
      if (!key.startsWith(XATTR_PAX_PREFIX)) continue;
      const xname = key.slice(XATTR_PAX_PREFIX.length);
      if (isOverlayXattr(xname)) {
        // Only whiteout conversion may set overlay's own attributes; a tar must not steer overlayfs.
        this.warnings.push(`${h.name}: ignored xattr ${xname}`);
      } else if (value.includes('\uFFFD')) {
        // tar-stream decodes PAX values as UTF-8, so binary values arrive damaged: skip rather than set garbage.
        this.warnings.push(`${h.name}: skipped xattr ${xname}: binary value not preserved by the tar reader`);
      } else {
        xattrs.push([xname, Buffer.from(value, 'utf8')]);
      }
    }
    return {
      mode: (h.mode ?? 0o644) & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : h.uid ?? 0,
      gid: pax.gid !== undefined ? Number(pax.gid) : h.gid ?? 0,
      atime: Number.isFinite(atime) ? atime : 0,
      mtime: Number.isFinite(mtime) ? mtime : 0,
      xattrs,
    };
  }

  private setXattrs(abs: string, xattrs: Array<[string, Buffer]>): void {
    for (const [name, value] of xattrs) lsetxattr(abs, name, value);
  }

  /**
   * Makes sure rel is a real directory in the layer, creating missing ones (or, without create,
   * returning false when one is missing); refuses symlinks on the way.
   */
  private ensureDir(rel: string, entryName: string, create = true): boolean {
    if (this.dirs.has(rel)) return true;
    let current = '';
    for (const part of rel.split('/')) {
      current = current === '' ? part : `${current}/${part}`;
      if (this.dirs.has(current)) continue;
      const stat = fs.lstatSync(this.abs(current), { throwIfNoEntry: false });
      if (stat === undefined) {
        if (!create) return false;
        fs.mkdirSync(this.abs(current), 0o755);
        fs.chmodSync(this.abs(current), 0o755); // not the umask's choice
        this.dirs.add(current);
      } else if (stat.isDirectory()) {
        this.dirs.add(current);
      } else if (stat.isSymbolicLink()) {
        throw new EngineError(`layer entry ${JSON.stringify(entryName)}: "${current}" is a symlink; refusing to write through it`, 'invalid');
      } else {
        throw new EngineError(`layer entry ${JSON.stringify(entryName)}: "${current}" is not a directory`, 'invalid');
      }
    }
    return true;
  }

  /** Removes whatever is at rel (a directory with all below it), so the new entry is created fresh. */
  private clear(rel: string): void {
    const abs = this.abs(rel);
    const stat = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (!stat.isDirectory()) {
      fs.unlinkSync(abs);
      return;
    }
    fs.rmSync(abs, { recursive: true, force: true }); // rm never follows symlinks inside
    for (const known of [...this.dirs]) if (known === rel || known.startsWith(`${rel}/`)) this.dirs.delete(known);
    for (const known of [...this.dirTimes.keys()]) if (known === rel || known.startsWith(`${rel}/`)) this.dirTimes.delete(known);
  }

  private makeDir(rel: string): void {
    const abs = this.abs(rel);
    try {
      fs.mkdirSync(abs, 0o700);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // tar semantics: a directory entry over a directory merges; over anything else replaces it
      if (!fs.lstatSync(abs).isDirectory()) {
        this.clear(rel);
        fs.mkdirSync(abs, 0o700);
      }
    }
    this.dirs.add(rel);
  }

  private setDirMeta(rel: string, meta: Meta): void {
    const abs = this.abs(rel); // verified or created as a real directory: chmod cannot follow a link here
    if (this.asRoot) fs.lchownSync(abs, meta.uid, meta.gid);
    fs.chmodSync(abs, meta.mode);
    this.setXattrs(abs, meta.xattrs);
    this.dirTimes.set(rel, [meta.atime, meta.mtime]);
  }

  private writeSmallFile(rel: string, meta: Meta, data: Buffer): void {
    const abs = this.abs(rel);
    writeNewFile(abs, data, meta.mode, meta.uid, meta.gid, this.asRoot, meta.atime, meta.mtime);
    // after the chown, which drops security.capability; setting xattrs leaves the times alone
    if (meta.xattrs.length > 0) this.setXattrs(abs, meta.xattrs);
  }

  private hardlink(h: tar.Header, rel: string): void {
    const target = entryPath(h.linkname ?? '', `layer entry ${JSON.stringify(h.name)}: hardlink target`);
    if (target === '') throw new EngineError(`layer entry ${JSON.stringify(h.name)}: hardlink to the layer root`, 'invalid');
    if (target === rel) return; // a link to itself changes nothing
    const parentExists = this.ensureDir(path.posix.dirname(target) === '.' ? '' : path.posix.dirname(target), h.name, false);
    const stat = parentExists ? fs.lstatSync(this.abs(target), { throwIfNoEntry: false }) : undefined;
    if (stat === undefined) throw new EngineError(`layer entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is not in the layer`, 'invalid');
    if (stat.isDirectory()) throw new EngineError(`layer entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is a directory`, 'invalid');
    // link(2) links a symlink itself, never what it points to
    this.create(rel, () => fs.linkSync(this.abs(target), this.abs(rel)));
  }

  private whiteout(name: string, parent: string, base: string): void {
    this.ensureDir(parent, name);
    if (base === OPAQUE_MARKER) {
      lsetxattr(this.abs(parent), OPAQUE_XATTR, Buffer.from('y'));
      return;
    }
    if (base.startsWith(WHITEOUT_META_PREFIX)) {
      this.warnings.push(`${name}: ignored aufs metadata entry`);
      return;
    }
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    if (hidden === '' || hidden === '.' || hidden === '..') {
      throw new EngineError(`layer entry ${JSON.stringify(name)}: whiteout names no file`, 'invalid');
    }
    const rel = parent === '' ? hidden : `${parent}/${hidden}`;
    this.create(rel, () => mknod(this.abs(rel), S_IFCHR, 0, 0)); // overlayfs's whiteout: a 0/0 character device
    this.files++;
  }
}

/**
 * The mode a regular file is created with: its own permission bits, so that where the umask and
 * the parent's default ACL take nothing away (nearly always) no chmod is needed. Never the setuid,
 * setgid or sticky bits: those are set by chmod after the chown, which would clear them. The file
 * lives in the layer's temp dir (0700) until the layer is renamed into place.
 */
function createMode(meta: Meta): number {
  return meta.mode & 0o777;
}

function needsChown(created: fs.Stats, meta: Meta): boolean {
  return created.uid !== meta.uid || created.gid !== meta.gid;
}

/** What the umask or a default ACL took away, or a special bit, is read back from the file itself, never assumed. */
function needsChmod(created: fs.Stats, meta: Meta): boolean {
  return (created.mode & 0o7777) !== meta.mode;
}

async function writeFully(file: fsp.FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

function explain(err: unknown, name: string): Error {
  if (err instanceof EngineError) return err;
  const e = err as NodeJS.ErrnoException;
  // rootless strata without subordinate ids maps only the user: no other owner can exist there
  if (e.code === 'EINVAL' && e.syscall?.includes('chown') && inUserNamespace()) {
    return new EngineError(`layer entry ${JSON.stringify(name)} belongs to an id the user namespace does not map: give this user subordinate ids in /etc/subuid and /etc/subgid (see \`strata info\`, ID Maps)`, 'invalid');
  }
  // A failed syscall is ours to explain; anything else came from reading the tar itself.
  if (e.syscall) return new EngineError(`layer entry ${JSON.stringify(name)}: ${e.message}`, 'internal');
  return new EngineError(`invalid layer tar at entry ${JSON.stringify(name)}: ${e.message}`, 'invalid');
}
