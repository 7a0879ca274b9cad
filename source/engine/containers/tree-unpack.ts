// A tar stream → a directory inside a scoped root, as `docker cp` extracts: parents are resolved
// inside the root (a symlink there is followed the way the container would follow it, never
// out of the root), the last component of an entry is never followed, and every create happens
// relative to an open directory descriptor. A directory is never replaced by a file or the
// other way round: that is refused like docker refuses it.
import fs from 'node:fs';
import path from 'node:path';
import type tar from 'tar-stream';
import { EngineError } from '../errors.js';
import { entryPath } from '../layers/entry-path.js';
import { mknod, S_IFBLK, S_IFCHR, S_IFIFO } from '../layers/native-fs.js';
import { tarStream } from '../layers/tar-stream.js';
import { at, closeNode, openNode, self, type ScopedRoot } from './scoped-fs.js';

export interface UnpackOptions {
  into: string; // directory inside the root (canonical, from a lookup) the entries land in
  renameTop?: { from: string; to: string }; // docker cp: the source's base name becomes the destination's
  owner?: { uid: number; gid: number }; // undefined: keep the tar's owners (cp -a)
  followSymlinks?: boolean; // false: an entry's parent may not be a symlink (host side); default true
}

export interface UnpackResult {
  entries: number;
  bytes: number; // of the tar stream read
}

const CREATE_FILE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;

export async function unpackInto(scope: ScopedRoot, input: NodeJS.ReadableStream, opts: UnpackOptions): Promise<UnpackResult> {
  const extract = tarStream().extract();
  const dirTimes: Array<[string, Date]> = [];
  let entries = 0;
  let bytes = 0;
  input.on('data', (chunk: Buffer) => { bytes += chunk.length; });
  const feeding = new Promise<void>((resolve, reject) => {
    input.on('error', (err) => {
      extract.destroy(err);
      reject(err);
    });
    (input as NodeJS.ReadableStream).pipe(extract as unknown as NodeJS.WritableStream);
    extract.on('finish', resolve);
  });
  feeding.catch(() => { /* surfaced by the loop below */ });
  try {
    for await (const entry of extract) {
      const header = entry.header;
      let rel = entryPath(header.name, 'archive entry');
      if (opts.renameTop) rel = renameTop(rel, opts.renameTop);
      if (rel === '') {
        await drain(entry);
        continue; // "./" stands for the destination itself, which exists
      }
      await writeEntry(scope, opts, rel, header, entry as unknown as AsyncIterable<Buffer>, dirTimes);
      entries++;
    }
  } catch (err) {
    extract.destroy();
    if (err instanceof EngineError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.syscall) throw new EngineError(`cannot copy: ${e.message.replace(/\/proc\/self\/fd\/\d+\//g, '')}`, 'internal');
    throw new EngineError(`invalid tar stream: ${e.message}`, 'invalid');
  }
  for (const [inside, mtime] of dirTimes.reverse()) {
    const r = scope.lookup(inside);
    try {
      if (r.node?.stat.isDirectory()) fs.utimesSync(self(r.node.fd), mtime, mtime);
    } finally {
      r.close();
    }
  }
  return { entries, bytes };
}

function renameTop(rel: string, rename: { from: string; to: string }): string {
  const [first, ...rest] = rel.split('/');
  if (first !== rename.from) return rel;
  return [rename.to, ...rest].join('/');
}

async function drain(body: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of body) { /* discard */ }
}

async function writeEntry(scope: ScopedRoot, opts: UnpackOptions, rel: string, h: tar.Header, body: AsyncIterable<Buffer>, dirTimes: Array<[string, Date]>): Promise<void> {
  const dirName = path.posix.dirname(rel);
  const parent = scope.lookup(path.posix.join(opts.into, dirName === '.' ? '' : dirName), { createDirs: true, noSymlinks: opts.followSymlinks === false });
  const name = path.posix.basename(rel);
  const uid = opts.owner?.uid ?? h.uid ?? 0;
  const gid = opts.owner?.gid ?? h.gid ?? 0;
  const mode = (h.mode ?? 0o644) & 0o7777;
  const mtime = h.mtime ?? new Date();
  try {
    const dirFd = parent.node!.fd;
    const existing = openNode(dirFd, name);
    const shown = path.posix.join(parent.inside, name);
    try {
      if (h.type === 'directory') {
        if (existing && !existing.stat.isDirectory()) throw new EngineError(`cannot overwrite non-directory "${shown}" with directory`, 'conflict');
        if (!existing) fs.mkdirSync(at(dirFd, name), 0o700);
      } else {
        if (existing?.stat.isDirectory()) throw new EngineError(`cannot overwrite directory "${shown}" with non-directory`, 'conflict');
        if (existing) fs.unlinkSync(at(dirFd, name)); // unlink never follows: the entry itself goes
      }
    } finally {
      closeNode(existing);
    }

    switch (h.type) {
      case 'directory': {
        const node = openNode(dirFd, name);
        if (!node?.stat.isDirectory()) throw new EngineError(`${shown} changed while copying`, 'conflict');
        try {
          fs.chownSync(self(node.fd), uid, gid);
          fs.chmodSync(self(node.fd), mode); // the verified directory's own inode
        } finally {
          closeNode(node);
        }
        dirTimes.push([shown, mtime]);
        await drain(body);
        return;
      }
      case 'file':
      case 'contiguous-file': {
        const fd = fs.openSync(at(dirFd, name), CREATE_FILE, 0o600);
        try {
          for await (const chunk of body) {
            let offset = 0;
            while (offset < chunk.length) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset);
          }
          fs.fchownSync(fd, uid, gid); // before chmod: chown clears setuid bits
          fs.fchmodSync(fd, mode);
          fs.futimesSync(fd, mtime, mtime);
        } finally {
          fs.closeSync(fd);
        }
        return;
      }
      case 'symlink':
        await drain(body);
        fs.symlinkSync(h.linkname ?? '', at(dirFd, name));
        fs.lchownSync(at(dirFd, name), uid, gid);
        fs.lutimesSync(at(dirFd, name), mtime, mtime);
        return;
      case 'link': {
        await drain(body);
        let target = entryPath(h.linkname ?? '', `archive entry ${JSON.stringify(h.name)}: hardlink target`);
        if (opts.renameTop) target = renameTop(target, opts.renameTop);
        const source = scope.lookup(path.posix.join(opts.into, target), { noSymlinks: opts.followSymlinks === false });
        try {
          if (!source.node || source.node.stat.isDirectory()) throw new EngineError(`archive entry ${JSON.stringify(h.name)}: hardlink target ${JSON.stringify(h.linkname)} is not a file in the archive`, 'invalid');
          fs.linkSync(at(source.parent.fd, source.name), at(dirFd, name)); // link(2) does not follow the source
        } finally {
          source.close();
        }
        return;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        await drain(body);
        const kind = h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR;
        mknod(at(dirFd, name), kind | (mode & 0o777), h.devmajor ?? 0, h.devminor ?? 0);
        fs.lchownSync(at(dirFd, name), uid, gid);
        return;
      }
      default:
        await drain(body);
        throw new EngineError(`archive entry ${JSON.stringify(h.name)}: unsupported entry type ${String(h.type)}`, 'invalid');
    }
  } finally {
    parent.close();
  }
}
