// The last step of a load: extract (or reuse) each layer, checking the diffID of what is
// extracted, then write the image record and its tags under the store lock.
import { EngineError } from '../errors.js';
import type { ImageStores } from '../images/context.js';
import type { StoredImage } from '../images/image-records.js';
import { MediaType, serialise, type Descriptor, type OciImageConfig, type OciManifest } from '../images/oci.js';
import { withLock } from '../store/lock.js';

export interface LoadedImage {
  configDigest: string;
  config: OciImageConfig;
  layers: Descriptor[]; // blobs already in the content store
  diffIds: string[];
  tags: string[]; // full references
  manifest?: { digest: string; bytes: Buffer }; // as the archive had it (OCI); made here otherwise
}

export async function registerImage(stores: ImageStores, image: LoadedImage): Promise<{ replaced: Array<[string, string]> }> {
  let manifestDigest = image.manifest?.digest;
  if (!manifestDigest) {
    const configSize = await stores.content.size(image.configDigest);
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: image.configDigest, size: configSize },
      layers: image.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
    const blob = serialise(manifest, MediaType.ociManifest);
    await stores.content.put(blob.bytes, blob.descriptor.digest);
    manifestDigest = blob.descriptor.digest;
  }

  const chainIds: string[] = [];
  let size = 0;
  for (let i = 0; i < image.layers.length; i++) {
    const layer = image.layers[i];
    const parent = chainIds[i - 1] ?? null;
    const created = await stores.layers.ensure(parent, image.diffIds[i], () => stores.content.open(layer.digest), { blobDigest: layer.digest })
      .catch((err: Error) => {
        throw new EngineError(`cannot load layer ${i + 1} (${layer.digest}): ${err.message}`, (err as EngineError).code === 'internal' ? 'internal' : 'invalid');
      });
    chainIds.push(created.record.chainId);
    size += created.record.size;
  }

  const record: StoredImage = {
    id: image.configDigest,
    manifestDigest,
    created: image.config.created ?? new Date(0).toISOString(),
    architecture: image.config.architecture ?? 'amd64',
    os: image.config.os ?? 'linux',
    config: image.config.config ?? {},
    diffIds: image.diffIds,
    chainIds,
    layerDigests: image.layers.map((l) => l.digest),
    size,
  };
  const replaced: Array<[string, string]> = [];
  await withLock(stores.paths, () => {
    for (const chain of chainIds) if (!stores.layers.has(chain)) throw new EngineError(`layer ${chain} vanished during the load`, 'internal');
    stores.records.write(record);
    if (image.tags.length > 0) {
      stores.tags.update((refs) => {
        for (const tag of image.tags) {
          const old = refs.get(tag);
          if (old !== undefined && old !== record.id) replaced.push([tag, old]);
          refs.set(tag, record.id);
        }
      });
    }
  });
  return { replaced };
}
