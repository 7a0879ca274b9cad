// The build cache: build-cache/<key>.json → the image a step made. A key is the sha256 of the
// step's parent image, its instruction after expansion (as its history line says it) and, for
// COPY/ADD, a digest of the copied files' names, modes, owners and bytes. Entries point at image
// records (intermediate ones, kept from garbage collection like any image), so the cache
// survives restarts; `builder prune` drops the entries and the intermediate images only they kept, and
// the RUN cache mounts' directories.
import fs from 'node:fs';
import path from 'node:path';
import { sha256Digest, digestHex } from '../content/digest.js';
import { collectGarbage } from '../images/gc.js';
import { pruneCacheMounts } from './cache-mounts.js';
import type { ImageService } from '../images/image-service.js';
import { readJsonIfExists, writeJsonAtomic } from '../store/json-file.js';
import { withLock } from '../store/lock.js';
import type { BuildCachePruned } from './types.js';

interface CacheEntry {
  imageId: string;
  created: string;
}

export function cacheDir(images: ImageService): string {
  return path.join(images.paths.root, 'build-cache');
}

export function stepKey(parentId: string, createdBy: string, contentDigest = ''): string {
  return sha256Digest(`${parentId}\n${createdBy}\n${contentDigest}`);
}

export class BuildCache {
  private readonly dir: string;

  constructor(private readonly images: ImageService) {
    this.dir = cacheDir(images);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Keys → images this build hit or made: what --cache-to exports. */
  readonly used = new Map<string, string>();
  private readonly imported = new Map<string, string>(); // --cache-from's, behind the store's own

  /** The image a step with this key made, when it is still in the store. */
  lookup(key: string): string | undefined {
    const found = this.own(key) ?? this.imported.get(key);
    const id = found && this.images.exists(found) ? found : undefined;
    if (id) this.used.set(key, id);
    return id;
  }

  private own(key: string): string | undefined {
    try {
      return readJsonIfExists<CacheEntry>(path.join(this.dir, `${digestHex(key)}.json`))?.imageId;
    } catch {
      return undefined; // an unreadable entry is a miss; the step rewrites it
    }
  }

  store(key: string, imageId: string): void {
    writeJsonAtomic(path.join(this.dir, `${digestHex(key)}.json`), { imageId, created: new Date().toISOString() } satisfies CacheEntry);
    this.used.set(key, imageId);
  }

  addImported(entries: ReadonlyMap<string, string>): void {
    for (const [key, id] of entries) if (!this.imported.has(key)) this.imported.set(key, id);
  }
}

/** Drops every cache entry and the intermediate images nothing else uses, then collects their layers. */
export async function pruneBuildCache(images: ImageService, isUsed: (imageId: string) => boolean): Promise<BuildCachePruned> {
  const dir = cacheDir(images);
  const sizes = new Map<string, number>();
  for (const chain of await images.layers.list()) sizes.set(chain, await images.layers.layerSize(chain).catch(() => 0));
  const removedImages: string[] = [];
  let entries = 0;
  await withLock(images.paths, () => {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const tagged = new Set(images.tags.read().values());
    for (const image of images.records.all()) {
      if (image.intermediate && !tagged.has(image.id) && !isUsed(image.id)) {
        images.records.delete(image.id);
        removedImages.push(image.id);
      }
    }
    for (const name of names) {
      fs.rmSync(path.join(dir, name), { force: true });
      if (name.endsWith('.json')) entries++;
    }
  });
  const collected = await collectGarbage(images);
  const mounts = await pruneCacheMounts(images.paths); // RUN --mount=type=cache directories no build holds
  const reclaimedBytes = collected.layers.reduce((sum, chain) => sum + (sizes.get(chain) ?? 0), 0) + mounts.bytes;
  return { entries, images: removedImages, cacheMounts: mounts.removed.length, reclaimedBytes };
}
