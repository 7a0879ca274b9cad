// Garbage collection: layers and blobs that no image record references are deleted. It runs
// under the store lock and only when no ingest holds a lease, because an ingest's content is
// unreferenced until its record is written; a skipped collection is redone by the next one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { LAYER_TEMP_PREFIX } from '../layers/layer-store.js';
import { whenNoIngest, withLock } from '../store/lock.js';
import type { ImageStores } from './context.js';

export interface Collected {
  layers: string[]; // chainIDs removed
  blobs: string[];
  temps: string[]; // leftovers of interrupted work
  skipped: boolean; // content was left alone: an ingest was in progress or a record is unreadable
}

export async function collectGarbage(stores: ImageStores): Promise<Collected> {
  return withLock(stores.paths, async () => {
    const result = await whenNoIngest(stores.paths, async () => {
      const { images, unreadable } = stores.records.readable();
      const liveLayers = new Set(images.flatMap((img) => img.chainIds));
      const liveBlobs = new Set(images.flatMap((img) => [img.id, img.manifestDigest, ...img.layerDigests]));
      // A record we cannot read may reference anything: then nothing is known to be garbage.
      const collected: Collected = { layers: [], blobs: [], temps: [], skipped: unreadable.length > 0 };
      if (!collected.skipped) {
        // Top layers first, like docker's "Deleted:" lines
        for (const chain of (await stores.layers.list()).reverse()) {
          if (!liveLayers.has(chain) && (await stores.layers.remove(chain))) collected.layers.push(chain);
        }
        for (const blob of await stores.content.list()) {
          if (!liveBlobs.has(blob) && (await stores.content.delete(blob))) collected.blobs.push(blob);
        }
      }
      // No ingest runs and we hold the lock: every temp file belongs to work that died.
      for (const name of await fsp.readdir(stores.paths.tmpDir)) {
        await fsp.rm(path.join(stores.paths.tmpDir, name), { recursive: true, force: true });
        collected.temps.push(path.join(stores.paths.tmpDir, name));
      }
      for (const name of await fsp.readdir(stores.paths.layersDir)) {
        if (!name.startsWith(LAYER_TEMP_PREFIX)) continue;
        await fsp.rm(path.join(stores.paths.layersDir, name), { recursive: true, force: true });
        collected.temps.push(path.join(stores.paths.layersDir, name));
      }
      return collected;
    });
    if (result === undefined) {
      fs.writeFileSync(stores.paths.gcPendingFile, '');
      return { layers: [], blobs: [], temps: [], skipped: true };
    }
    if (!result.value.skipped) fs.rmSync(stores.paths.gcPendingFile, { force: true });
    return result.value;
  });
}

/** Redoes a collection that was deferred for an ingest; called when an ingest ends. */
export async function collectIfPending(stores: ImageStores): Promise<void> {
  if (fs.existsSync(stores.paths.gcPendingFile)) await collectGarbage(stores);
}

/** After a failed ingest: deletes a blob unless an image references it. */
export async function dropIfUnreferenced(stores: ImageStores, digest: string): Promise<void> {
  await withLock(stores.paths, async () => {
    const { images, unreadable } = stores.records.readable();
    const used = unreadable.length > 0 || images.some((img) => img.id === digest || img.manifestDigest === digest || img.layerDigests.includes(digest));
    if (!used) await stores.content.delete(digest);
  });
}
