// Finding an image the way docker does: by reference (tag or name@digest) first, then by full
// id (with or without sha256:), then by a unique id prefix.
import type { ImageRecord } from '../api.js';
import { EngineError } from '../errors.js';
import type { ImageStores } from './context.js';
import type { StoredImage } from './image-records.js';
import { familiarOf, fullReference, parseReference } from './reference.js';

const FULL_ID = /^(?:sha256:)?([0-9a-f]{64})$/;
const ID_PREFIX = /^(?:sha256:)?([0-9a-f]{1,63})$/;

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** The stored image a reference names, or undefined. Throws only for malformed or ambiguous input. */
export function findImage(stores: ImageStores, ref: string): StoredImage | undefined {
  const full = FULL_ID.exec(ref);
  if (full) return stores.records.read(`sha256:${full[1]}`);
  const index = stores.tags.read();
  if (!ref.startsWith('sha256:')) {
    let parsed;
    try {
      parsed = parseReference(ref);
    } catch (err) {
      if (!ID_PREFIX.test(ref)) throw err;
    }
    if (parsed) {
      const id = index.get(fullReference(parsed));
      if (id) {
        const image = stores.records.read(id);
        if (image) return image;
      }
      if (parsed.digest) {
        const byManifest = stores.records.readable().images.find((img) => img.manifestDigest === parsed.digest);
        if (byManifest) return byManifest;
      }
    }
  }
  const prefix = ID_PREFIX.exec(ref);
  if (!prefix) return undefined;
  const matches = stores.records.ids().filter((id) => id.startsWith(`sha256:${prefix[1]}`));
  if (matches.length > 1) throw new EngineError(`image id prefix ${JSON.stringify(ref)} is ambiguous: it matches ${matches.length} images`, 'invalid');
  return matches.length === 1 ? stores.records.read(matches[0]) : undefined;
}

export function resolveImage(stores: ImageStores, ref: string): StoredImage {
  const image = findImage(stores, ref);
  if (!image) throw new EngineError(`No such image: ${ref}`, 'not-found');
  return image;
}

/** The public record: the stored one plus its tags and digests as docker shows them. */
export function toRecord(image: StoredImage, index: Map<string, string>): ImageRecord {
  const refs = [...index].filter(([, id]) => id === image.id).map(([ref]) => ref);
  return {
    id: image.id,
    repoTags: refs.filter((r) => !r.includes('@')).map(familiarOf),
    repoDigests: refs.filter((r) => r.includes('@')).map(familiarOf),
    manifestDigest: image.manifestDigest,
    created: image.created,
    architecture: image.architecture,
    os: image.os,
    config: image.config,
    diffIds: image.diffIds,
    chainIds: image.chainIds,
    size: image.size,
  };
}
