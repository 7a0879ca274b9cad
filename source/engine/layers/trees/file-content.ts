// A file's bytes as one layer holds them, for preview and for saving to the host. Opened with
// O_NOFOLLOW and checked through /proc/self/fd to be the very path inside the layer: a live
// upper layer is writable by the container, which could swap a parent directory for a symlink
// pointing at the host between our look and our open.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../../errors.js';
import { tempNameFor } from '../../store/json-file.js';
import type { MergedNode } from './merge.js';
import type { LayerFileContent } from './types.js';

export interface LocatedFile {
  node: MergedNode;
  rel: string; // 'etc/passwd'
  layerDir: string; // the directory of the layer holding the copy
}

async function openInLayer(file: LocatedFile): Promise<fsp.FileHandle> {
  const abs = `${file.layerDir}/${file.rel}`;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new EngineError(`cannot open /${file.rel} in layer ${file.node.layer}: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'internal');
  }
  try {
    const real = await fsp.readlink(`/proc/self/fd/${handle.fd}`);
    // The layer directory itself belongs to the store (the root may sit behind a symlink); below it nothing may.
    if (real !== `${await fsp.realpath(file.layerDir)}/${file.rel}`) throw new EngineError(`/${file.rel} moved while it was opened (now ${real}); refusing to read it`, 'conflict');
    if (!(await handle.stat()).isFile()) throw new EngineError(`/${file.rel} is not a regular file`, 'invalid');
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export async function readLayerFile(file: LocatedFile, maxBytes: number): Promise<LayerFileContent> {
  const { node, rel } = file;
  const base = { path: `/${rel}`, layer: node.layer, kind: node.kind, size: node.size };
  if (node.kind === 'symlink') return { ...base, link: node.link, binary: false, data: Buffer.alloc(0), truncated: false };
  if (node.kind !== 'file') throw new EngineError(`/${rel} is a ${node.kind === 'dir' ? 'directory' : 'special file'}: it has no content to show`, 'invalid');
  const handle = await openInLayer(file);
  try {
    const size = (await handle.stat()).size;
    const want = Math.min(size, maxBytes);
    const data = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(data, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const bytes = data.subarray(0, got);
    const truncated = got < size;
    return { ...base, size, binary: looksBinary(bytes, truncated), data: bytes, truncated };
  } finally {
    await handle.close();
  }
}

/** Text is valid UTF-8 without NUL bytes; a character cut by the read limit does not count against it. */
export function looksBinary(bytes: Buffer, truncated: boolean): boolean {
  if (bytes.includes(0)) return true;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= (truncated ? 3 : 0); cut++) {
    try {
      decoder.decode(bytes.subarray(0, bytes.length - cut));
      return false;
    } catch { /* try without a cut character */ }
  }
  return true;
}

/** Where saving to hostPath writes: hostPath, or the file's own name inside it when it is a directory. */
export async function saveTarget(hostPath: string, name: string): Promise<string> {
  const target = path.resolve(hostPath);
  return (await fsp.stat(target).catch(() => undefined))?.isDirectory() ? path.join(target, name) : target;
}

/**
 * Writes the layer's copy to hostPath (into it, when it is a directory); returns where it went.
 * Something already there is replaced only when `overwrite` says so (a conflict otherwise).
 */
export async function saveLayerFile(file: LocatedFile, hostPath: string, overwrite = false): Promise<string> {
  const { node, rel } = file;
  const target = await saveTarget(hostPath, node.name);
  if (!fs.existsSync(path.dirname(target))) throw new EngineError(`cannot save to ${hostPath}: ${path.dirname(target)} does not exist`, 'invalid');
  const temp = tempNameFor(target);
  try {
    if (node.kind === 'symlink') {
      await fsp.symlink(node.link ?? '', temp);
    } else {
      if (node.kind !== 'file') throw new EngineError(`/${rel} is a ${node.kind === 'dir' ? 'directory' : 'special file'}: only files and symlinks can be saved`, 'invalid');
      const source = await openInLayer(file);
      try {
        const out = await fsp.open(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, node.mode & 0o777);
        try {
          for await (const chunk of source.createReadStream({ autoClose: false })) await out.write(chunk as Buffer);
        } finally {
          await out.close();
        }
      } finally {
        await source.close();
      }
    }
    if (overwrite) await fsp.rename(temp, target);
    else {
      // link(2) never replaces what is there: no window between a check and the write.
      await fsp.link(temp, target).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new EngineError(`${target} already exists`, 'conflict');
        throw err;
      });
      await fsp.rm(temp);
    }
  } catch (err) {
    await fsp.rm(temp, { force: true });
    if (err instanceof EngineError) throw err;
    throw new EngineError(`cannot save /${rel} to ${hostPath}: ${(err as Error).message}`, 'internal');
  }
  return target;
}
