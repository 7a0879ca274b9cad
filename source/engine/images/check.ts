// `system check` for images: records readable and complete (config, manifest and layer blobs,
// a layer directory for every chainID), tags pointing at images, blobs re-hashed, and leftovers
// of interrupted work — reported only when no ingest is running, since an ingest's temp files are live.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CheckProblem } from '../api.js';
import { isDigest } from '../content/digest.js';
import { chainIds } from '../layers/chain-id.js';
import { TEMP_MARKER, readJson } from '../store/json-file.js';
import { whenNoIngest, withSharedLock } from '../store/lock.js';
import type { ImageStores } from './context.js';
import type { StoredImage } from './image-records.js';

export async function checkImages(stores: ImageStores): Promise<CheckProblem[]> {
  return withSharedLock(stores.paths, async () => {
    const problems: CheckProblem[] = [];
    const ids = new Set<string>();
    const { imagesDir } = stores.paths;

    for (const name of await fsp.readdir(imagesDir)) {
      const full = path.join(imagesDir, name);
      if (name.includes(TEMP_MARKER)) {
        problems.push({ kind: 'temp-file', path: full, detail: 'a temporary file left by an interrupted write' });
        continue;
      }
      if (name === path.basename(stores.paths.repositories)) continue;
      const m = /^([0-9a-f]{64})\.json$/.exec(name);
      if (!m) {
        problems.push({ kind: 'unexpected-entry', path: full, detail: 'not an image record' });
        continue;
      }
      let image: StoredImage;
      try {
        image = readJson<StoredImage>(full);
      } catch (err) {
        problems.push({ kind: 'record-unreadable', path: full, detail: (err as Error).message });
        continue;
      }
      const id = `sha256:${m[1]}`;
      ids.add(id);
      if (image.id !== id) problems.push({ kind: 'record-mismatch', path: full, detail: `record names image ${image.id}` });
      problems.push(...checkImage(stores, image, full));
    }

    try {
      for (const [ref, id] of stores.tags.read()) {
        if (!ids.has(id)) problems.push({ kind: 'tag-dangling', path: stores.paths.repositories, detail: `${ref} points at ${id}, which is not in the store` });
      }
    } catch (err) {
      problems.push({ kind: 'record-unreadable', path: stores.paths.repositories, detail: (err as Error).message });
    }

    problems.push(...await stores.content.check());
    const idle = await whenNoIngest(stores.paths, async () => {
      const temps: CheckProblem[] = [];
      for (const name of await fsp.readdir(stores.paths.tmpDir)) {
        temps.push({ kind: 'temp-file', path: path.join(stores.paths.tmpDir, name), detail: 'a temporary blob left by an interrupted ingest' });
      }
      return temps;
    });
    problems.push(...(idle?.value ?? []));
    problems.push(...await stores.layers.check(idle !== undefined));
    return problems;
  });
}

function checkImage(stores: ImageStores, image: StoredImage, file: string): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const fields = [image.id, image.manifestDigest, ...(image.diffIds ?? []), ...(image.chainIds ?? []), ...(image.layerDigests ?? [])];
  if (!Array.isArray(image.diffIds) || !Array.isArray(image.chainIds) || !Array.isArray(image.layerDigests) || !fields.every((d) => typeof d === 'string' && isDigest(d))) {
    return [{ kind: 'record-unreadable', path: file, detail: 'record lacks valid digests' }];
  }
  const expected = chainIds(image.diffIds);
  if (expected.join() !== image.chainIds.join()) problems.push({ kind: 'record-mismatch', path: file, detail: 'chainIds do not follow from diffIds' });
  for (const blob of [image.id, image.manifestDigest, ...image.layerDigests]) {
    if (!stores.content.hasSync(blob)) problems.push({ kind: 'blob-missing', path: stores.content.path(blob), detail: `blob ${blob} of image ${image.id} is missing` });
  }
  for (const chain of image.chainIds) {
    if (!stores.layers.has(chain)) problems.push({ kind: 'layer-missing', path: stores.layers.diffDir(chain), detail: `layer ${chain} of image ${image.id} is missing` });
  }
  return problems;
}
