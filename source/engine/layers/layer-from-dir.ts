// A directory (a container's upper dir, a COPY staging dir) becomes a layer in one pass: the tar
// packed from it is hashed (the diffID), gzip-compressed into the content store (the blob a
// manifest names) and either teed into the layer store's extraction or — with `link` — not
// extracted at all: the layer dir is then a hardlinked copy of the directory (see link-tree.ts),
// made while the tar streams. gzip runs on libuv's threadpool, in parallel with the packing on
// the main thread. The caller holds the ingest lease.
import crypto from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { EngineError } from '../errors.js';
import type { BlobInfo, ContentStore } from '../content/content-store.js';
import { packDirectory, type PackOptions } from './dir-to-tar.js';
import type { LayerRecord, LayerStore } from './layer-store.js';
import { linkTree } from './link-tree.js';

export interface DirLayer {
  record: LayerRecord;
  blob: BlobInfo; // gzip-compressed tar, in the content store
  reused: boolean;
}

export interface DirLayerOptions extends PackOptions {
  // Hardlink the files into the layer instead of extracting copies: only for a directory nothing
  // will write to afterwards (the caller replaces it).
  link?: boolean;
}

// Level 1: several times faster than the default for ~10% larger blobs; commits and builds are
// on the interactive path, pushes can recompress if they want.
const GZIP_LEVEL = 1;

export async function layerFromDirectory(stores: { content: ContentStore; layers: LayerStore }, parent: string | null, dir: string, opts: DirLayerOptions = {}): Promise<DirLayer> {
  const tar = packDirectory(dir, opts);
  const toExtract = opts.link ? undefined : new PassThrough({ highWaterMark: 1 << 20 });
  const gzip = zlib.createGzip({ level: GZIP_LEVEL, chunkSize: 1 << 16 });
  const hash = crypto.createHash('sha256');
  const writer = await stores.content.writer();

  const compressing = (async () => {
    for await (const chunk of gzip) await writer.write(chunk as Buffer);
  })();
  const teeing = (async () => {
    for await (const chunk of tar as AsyncIterable<Buffer>) {
      hash.update(chunk);
      const a = toExtract ? toExtract.write(chunk) : true;
      const b = gzip.write(chunk);
      if (!a) await onceOrClosed(toExtract!, 'drain');
      if (!b) await onceOrClosed(gzip, 'drain');
    }
    toExtract?.end();
    gzip.end();
  })();
  const failed = (err: unknown) => {
    toExtract?.destroy(err as Error);
    gzip.destroy(err as Error);
    tar.destroy(err as Error);
  };
  teeing.catch(failed);
  compressing.catch(failed);

  let blob: BlobInfo | undefined;
  try {
    const source = toExtract ?? (async (diffDir: string) => {
      const { size, files } = linkTree(dir, diffDir);
      await teeing;
      return { diffId: `sha256:${hash.digest('hex')}`, size, files, warnings: [] };
    });
    const created = await stores.layers.create(parent, source, {
      beforeCommit: async () => {
        await teeing;
        await compressing;
        blob = await writer.commit();
      },
    });
    return { record: created.record, blob: blob!, reused: created.reused };
  } catch (err) {
    failed(err);
    await teeing.catch(() => {});
    await compressing.catch(() => {});
    if (!blob) await writer.abort();
    // The packer's own error explains more than a truncated tar does.
    const cause = await teeing.then(() => undefined, (e: unknown) => e);
    if (cause instanceof EngineError) throw cause;
    throw err;
  }
}

async function onceOrClosed(stream: Readable | NodeJS.WritableStream, event: string): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(stream as NodeJS.EventEmitter, event, { signal: ac.signal }), once(stream as NodeJS.EventEmitter, 'close', { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}
