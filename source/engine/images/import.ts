// `import`: a root filesystem tar (plain or gzip) becomes a one-layer OCI image. The layer blob
// is stored uncompressed (its digest is then its diffID), extracted once per chainID, and the
// config, manifest, record and tag are written last, so a crash leaves at worst unreferenced
// content for garbage collection, never an image with missing parts.
import type { ImageConfig, ImportOptions } from '../api.js';
import { EngineError } from '../errors.js';
import { chainIds } from '../layers/chain-id.js';
import { plainTar, type ByteSource } from '../layers/decompress.js';
import { withIngestLease, withLock } from '../store/lock.js';
import { applyChanges } from './changes.js';
import type { ImageStores } from './context.js';
import type { StoredImage } from './image-records.js';
import { goArch, MediaType, serialise, type OciImageConfig, type OciManifest } from './oci.js';
import { fullReference, parseReference } from './reference.js';
import { collectIfPending, dropIfUnreferenced } from './gc.js';

export async function importImage(stores: ImageStores, input: ByteSource, ref: string | undefined, opts: ImportOptions = {}): Promise<StoredImage> {
  // Everything that can be wrong with the arguments is found before the stream is read.
  const target = ref === undefined || ref === '' ? undefined : parseReference(ref);
  if (target?.digest) throw new EngineError(`cannot import as ${ref}: a digest reference cannot be given to an image, use a tag`, 'invalid');
  const config = applyChanges({}, opts.changes ?? []);

  try {
    return await withIngestLease(stores.paths, () => ingest(stores, input, target ? fullReference(target) : undefined, config, opts.message));
  } finally {
    // The import's outcome stands either way; a collection that fails now stays pending for the next one.
    await collectIfPending(stores).catch(() => {});
  }
}

async function ingest(stores: ImageStores, input: ByteSource, tagKey: string | undefined, config: ImageConfig, message: string | undefined): Promise<StoredImage> {
  const blob = await stores.content.put(plainTar(input, stores.layers.maxLayerBytes));
  const diffId = blob.digest;
  try {
    await stores.layers.ensure(null, diffId, () => stores.content.open(diffId), { blobDigest: diffId });
  } catch (err) {
    await dropIfUnreferenced(stores, diffId);
    throw err;
  }

  const created = new Date().toISOString();
  // As docker writes it: no created_by, the message (or where it came from) as the comment.
  const history = { created, comment: message ?? 'Imported from -' };
  const imageConfig: OciImageConfig = {
    created,
    architecture: goArch(),
    os: 'linux',
    config,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [history],
  };
  const configBlob = serialise(imageConfig, MediaType.ociConfig);
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: configBlob.descriptor,
    layers: [{ mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size }],
  };
  const manifestBlob = serialise(manifest, MediaType.ociManifest);
  await stores.content.put(configBlob.bytes, configBlob.descriptor.digest);
  await stores.content.put(manifestBlob.bytes, manifestBlob.descriptor.digest);

  const chains = chainIds([diffId]);
  const image: StoredImage = {
    id: configBlob.descriptor.digest,
    manifestDigest: manifestBlob.descriptor.digest,
    created,
    architecture: imageConfig.architecture,
    os: imageConfig.os,
    config,
    diffIds: [diffId],
    chainIds: chains,
    layerDigests: [blob.digest],
    size: 0,
  };
  for (const chain of chains) image.size += await stores.layers.layerSize(chain);

  await withLock(stores.paths, () => {
    // The ingest lease kept garbage collection away, so what was reused above is still here.
    for (const chain of chains) if (!stores.layers.has(chain)) throw new EngineError(`layer ${chain} vanished during import`, 'internal');
    stores.records.write(image);
    if (tagKey) stores.tags.update((refs) => { refs.set(tagKey, image.id); });
  });
  return image;
}
