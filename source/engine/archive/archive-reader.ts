// Reads an image archive (plain or gzip tar) into the content store in one pass: every regular
// file becomes a blob (hashed while streaming), remembered by its path in the archive. A file
// under blobs/sha256/ must hash to its own name, or the load stops with that blob named.
// Symlinks and hardlinks between entries (docker writes them for repeated layers) are kept as
// aliases; nothing is ever written outside the store.
import path from 'node:path';
import { EngineError } from '../errors.js';
import type { ImageStores } from '../images/context.js';
import { drainOrClose } from '../layers/backpressure.js';
import { plainTar, type ByteSource } from '../layers/decompress.js';
import { entryPath } from '../layers/entry-path.js';
import { tarStream } from '../layers/tar-stream.js';

export interface ArchiveBlob {
  digest: string;
  size: number;
}

export class ArchiveIndex {
  readonly files = new Map<string, ArchiveBlob>();
  readonly aliases = new Map<string, string>(); // path → the path it stands for

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  find(name: string): ArchiveBlob | undefined {
    let current = normalise(name);
    for (let hops = 0; hops < 16; hops++) {
      const file = this.files.get(current);
      if (file) return file;
      const next = this.aliases.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  get(name: string, what: string): ArchiveBlob {
    const blob = this.find(name);
    if (!blob) throw new EngineError(`invalid archive: ${what} ${JSON.stringify(name)} is not in the archive`, 'invalid');
    return blob;
  }
}

function normalise(name: string): string {
  return entryPath(name, 'archive entry');
}

const BLOB_PATH = /^blobs\/sha256\/([0-9a-f]{64})$/;

export async function readArchive(stores: ImageStores, input: ByteSource): Promise<ArchiveIndex> {
  const index = new ArchiveIndex();
  const extract = tarStream().extract();
  let feedError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of plainTar(input)) {
        if (extract.destroyed) return;
        if (!extract.write(chunk as Buffer)) await drainOrClose(extract); // or stopped by the reading side
      }
      (extract as unknown as { end(): void }).end();
    } catch (err) {
      feedError = err;
      extract.destroy(err as Error);
    }
  })();
  let entries = 0;
  try {
    for await (const entry of extract) {
      entries++;
      const h = entry.header;
      const name = normalise(h.name);
      if (h.type === 'file' || h.type === 'contiguous-file') {
        const m = BLOB_PATH.exec(name);
        const blob = await stores.content.put(entry as unknown as AsyncIterable<Buffer>, m ? `sha256:${m[1]}` : undefined).catch((err: Error) => {
          throw new EngineError(`invalid archive: ${name}: ${err.message}`, 'invalid');
        });
        index.files.set(name, blob);
        continue;
      }
      if (h.type === 'symlink' && h.linkname) {
        const target = h.linkname.startsWith('/') ? h.linkname : path.posix.join(path.posix.dirname(name), h.linkname);
        index.aliases.set(name, normalise(target));
      } else if (h.type === 'link' && h.linkname) {
        index.aliases.set(name, normalise(h.linkname));
      }
      for await (const _ of entry) { /* no body */ }
    }
    await feeding;
  } catch (err) {
    extract.destroy();
    (input as { destroy?: () => void }).destroy?.(); // a file or pipe we will not read further
    if (feedError instanceof EngineError) throw feedError;
    if (err instanceof EngineError) throw err;
    throw new EngineError(`invalid archive: ${(feedError as Error | undefined)?.message ?? (err as Error).message}`, 'invalid');
  }
  if (feedError) throw feedError instanceof EngineError ? feedError : new EngineError(`cannot read the archive: ${(feedError as Error).message}`, 'invalid');
  if (entries === 0) throw new EngineError('invalid archive: it is empty (no tar entries)', 'invalid');
  return index;
}
