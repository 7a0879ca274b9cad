// `image prune`: deletes dangling images (no tag), or with `all` every image no container
// uses (build steps' untagged images excepted: they are the build cache), then collects the layers and blobs nothing references any more. The space reported is
// what was actually freed on disk (layer trees and blobs).
import type { ImagePruneReport } from '../api.js';
import { withLock } from '../store/lock.js';
import type { ImageStores } from './context.js';
import { collectGarbage } from './gc.js';
import { familiarOf } from './reference.js';

export async function pruneImages(stores: ImageStores, all: boolean, isUsed: (id: string) => boolean): Promise<ImagePruneReport> {
  const report: ImagePruneReport = { untagged: [], deleted: [], spaceReclaimed: 0 };
  await withLock(stores.paths, () => {
    const index = stores.tags.read();
    for (const image of stores.records.readable().images) {
      const refs = stores.tags.refsOf(image.id, index);
      // A build step's image belongs to the build cache: `builder prune` removes those.
      if (isUsed(image.id) || (!all && refs.length > 0) || (image.intermediate && refs.length === 0)) continue;
      if (refs.length > 0) {
        stores.tags.update((tags) => { for (const r of refs) tags.delete(r); });
        report.untagged.push(...refs.map(familiarOf));
      }
      stores.records.delete(image.id);
      report.deleted.push(image.id);
    }
  });
  if (report.deleted.length === 0) return report;
  const sizes = new Map<string, number>();
  for (const chain of await stores.layers.list()) sizes.set(chain, await stores.layers.layerSize(chain).catch(() => 0));
  const blobSizes = new Map<string, number>();
  for (const blob of await stores.content.list()) blobSizes.set(blob, await stores.content.size(blob).catch(() => 0));
  const collected = await collectGarbage(stores);
  report.deleted.push(...collected.layers);
  for (const chain of collected.layers) report.spaceReclaimed += sizes.get(chain) ?? 0;
  for (const blob of collected.blobs) report.spaceReclaimed += blobSizes.get(blob) ?? 0;
  return report;
}
