// A directory tree (or one file) inside a scoped root → tar entries, walked with descriptors
// (scoped-fs.ts) so a container changing its files mid-walk cannot make us read outside it.
// Keeps modes, owners, times, symlinks, hardlinks, devices and fifos; skips sockets, as docker does.
import fs from 'node:fs';
import type tar from 'tar-stream';
import { drainOrClose } from '../layers/backpressure.js';
import { at, closeNode, openNode, self, type Node } from './scoped-fs.js';

type EntryHeader = Parameters<tar.Pack['entry']>[0];

export interface PackOptions {
  // Entry names for the top node: 'name' → "name", "name/x"; '' → the directory's contents only.
  name: string;
}

/** Writes the node (a directory with everything below it, or a single entry) to the pack; does not finalize. */
export async function packNode(pack: tar.Pack, parentFd: number, entryName: string, node: Node, opts: PackOptions): Promise<void> {
  const links = new Map<string, string>();
  await packOne(pack, parentFd, entryName, node, opts.name, links);
}

async function packOne(pack: tar.Pack, parentFd: number, entryName: string, node: Node, name: string, links: Map<string, string>): Promise<void> {
  const st = node.stat;
  const base: EntryHeader = {
    name,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtime: st.mtime,
  };
  if (st.isDirectory()) {
    if (name !== '') await addEntry(pack, { ...base, name: `${name}/`, type: 'directory' });
    const children = fs.readdirSync(self(node.fd)).sort();
    for (const child of children) {
      const childNode = openNode(node.fd, child);
      if (!childNode) continue; // removed meanwhile
      try {
        await packOne(pack, node.fd, child, childNode, name === '' ? child : `${name}/${child}`, links);
      } finally {
        closeNode(childNode);
      }
    }
    return;
  }
  if (st.isFile()) {
    const key = `${st.dev}:${st.ino}`;
    if (st.nlink > 1) {
      const first = links.get(key);
      if (first !== undefined) {
        await addEntry(pack, { ...base, type: 'link', linkname: first, size: 0 });
        return;
      }
      links.set(key, name);
    }
    // Reopening the O_PATH descriptor reaches this very inode: no name is looked up again.
    const fd = fs.openSync(self(node.fd), fs.constants.O_RDONLY);
    try {
      const size = fs.fstatSync(fd).size;
      await addFile(pack, { ...base, type: 'file', size }, fd, size);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.readlinkSync(at(parentFd, entryName));
    } catch {
      return; // replaced by something else meanwhile
    }
    await addEntry(pack, { ...base, type: 'symlink', linkname: target, size: 0 });
    return;
  }
  const dev = { devmajor: Math.floor(st.rdev / 256) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
  if (st.isCharacterDevice()) await addEntry(pack, { ...base, type: 'character-device', ...dev });
  else if (st.isBlockDevice()) await addEntry(pack, { ...base, type: 'block-device', ...dev });
  else if (st.isFIFO()) await addEntry(pack, { ...base, type: 'fifo' });
  // sockets are not archived
}

function addEntry(pack: tar.Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (err) => (err ? reject(err) : resolve()));
  });
}

/** Streams the file; a file that shrank meanwhile is padded with zeros, one that grew is cut, so the header stays true. */
async function addFile(pack: tar.Pack, header: EntryHeader, fd: number, size: number): Promise<void> {
  let failed: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    void (async () => {
      const chunk = Buffer.allocUnsafe(1 << 20);
      let offset = 0;
      try {
        while (offset < size) {
          const want = Math.min(chunk.length, size - offset);
          let n = await new Promise<number>((res, rej) => fs.read(fd, chunk, 0, want, offset, (e, bytes) => (e ? rej(e) : res(bytes))));
          if (n === 0) {
            chunk.fill(0, 0, want);
            n = want;
          }
          offset += n;
          if (!sink.write(Buffer.from(chunk.subarray(0, n)))) {
            await drainOrClose(sink);
            if (sink.destroyed) return; // the entry callback reports why
          }
        }
        (sink as unknown as { end(): void }).end();
      } catch (err) {
        failed = err as Error;
        sink.destroy(failed);
      }
    })();
  });
  await done;
  if (failed) throw failed;
}
