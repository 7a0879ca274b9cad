// `history`: the image config's history, newest first, with the size each entry's layer adds.
// Entries marked empty_layer have no layer (CMD, ENV, …); the others take the image's layers in
// order. A row gets the id of a local image that is exactly the image up to that row (a build
// step's image, a base image), and `<missing>` otherwise — what docker shows.
import type { ImageHistoryEntry } from '../api.js';
import type { ImageStores } from './context.js';
import type { StoredImage } from './image-records.js';
import type { HistoryEntry, OciImageConfig } from './oci.js';
import { familiarOf } from './reference.js';
import { resolveImage } from './resolve.js';

export async function imageHistory(stores: ImageStores, ref: string): Promise<ImageHistoryEntry[]> {
  const image = resolveImage(stores, ref);
  const config = await stores.content.getJson<OciImageConfig>(image.id);
  const layerSizes: number[] = [];
  for (const chain of image.chainIds) layerSizes.push(stores.layers.has(chain) ? await stores.layers.layerSize(chain) : 0);

  // Without a history (some hand-made images), one row per layer, like docker.
  const history: HistoryEntry[] = Array.isArray(config.history) && config.history.length > 0
    ? config.history
    : image.diffIds.map(() => ({ created: config.created }));
  const rows: ImageHistoryEntry[] = [];
  let layer = 0;
  for (const entry of history) {
    // A history naming more layers than the image has (hand-made images) shows the extra rows as empty.
    const empty = entry.empty_layer === true || layer >= layerSizes.length;
    rows.push({
      id: '<missing>',
      created: entry.created ?? '',
      createdBy: entry.created_by ?? '',
      size: empty ? 0 : layerSizes[layer++],
      comment: entry.comment ?? '',
      emptyLayer: entry.empty_layer === true,
      tags: [],
    });
  }
  await nameLocalParents(stores, image, history, rows);
  rows.reverse();
  rows[0].id = image.id;
  rows[0].tags = stores.tags.refsOf(image.id).filter((r) => !r.includes('@')).map(familiarOf).sort();
  return rows;
}

/** Fills in the ids of local images whose layers and history are a prefix of this one's. */
async function nameLocalParents(stores: ImageStores, image: StoredImage, history: HistoryEntry[], rows: ImageHistoryEntry[]): Promise<void> {
  const candidates = stores.records.readable().images.filter((other) => other.id !== image.id
    && other.chainIds.length <= image.chainIds.length && other.chainIds.every((c, i) => c === image.chainIds[i]));
  for (const other of candidates) {
    const config = await stores.content.getJson<OciImageConfig>(other.id).catch(() => undefined);
    const own = config?.history ?? [];
    if (own.length === 0 || own.length > history.length) continue;
    if (JSON.stringify(own) !== JSON.stringify(history.slice(0, own.length))) continue;
    const row = rows[own.length - 1];
    if (row.id === '<missing>') row.id = other.id;
  }
}
