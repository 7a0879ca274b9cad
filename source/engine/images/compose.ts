// A new image on top of another one (or of nothing): commit and every build step end here. The
// parent's layers and history are carried over from its config and manifest blobs, the new
// layer (if any) and history entry are appended, and config, manifest, record and tags are
// written in that order, so a crash leaves at worst unreferenced blobs. The caller holds the
// ingest lease from the moment its layer was created.
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import type { BlobInfo } from '../content/content-store.js';
import { chainId as chainIdOf } from '../layers/chain-id.js';
import { withLock } from '../store/lock.js';
import type { ImageStores } from './context.js';
import type { StoredImage } from './image-records.js';
import { goArch, MediaType, serialise, type Descriptor, type HistoryEntry, type OciImageConfig, type OciManifest } from './oci.js';
import { fullReference, parseReference } from './reference.js';

export interface ImageBase {
  image?: StoredImage; // undefined for scratch
  config: ImageConfig;
  history: HistoryEntry[];
  layers: Descriptor[];
  diffIds: string[];
  chainIds: string[];
  architecture: string;
  os: string;
}

export interface NewLayer {
  diffId: string;
  blob: BlobInfo;
}

export async function imageBase(stores: ImageStores, image: StoredImage | undefined): Promise<ImageBase> {
  if (!image) return { config: {}, history: [], layers: [], diffIds: [], chainIds: [], architecture: goArch(), os: 'linux' };
  const config = await stores.content.getJson<OciImageConfig>(image.id);
  const manifest = await stores.content.getJson<OciManifest>(image.manifestDigest);
  if (manifest.layers.length !== image.diffIds.length) throw new EngineError(`image ${image.id}: its manifest names ${manifest.layers.length} layers but it has ${image.diffIds.length}`, 'internal');
  return {
    image,
    config: structuredClone(image.config),
    history: config.history ?? [],
    layers: manifest.layers,
    diffIds: [...image.diffIds],
    chainIds: [...image.chainIds],
    architecture: image.architecture,
    os: image.os,
  };
}

export interface ComposeOptions {
  config: ImageConfig;
  history: HistoryEntry; // empty_layer is set from whether a layer is given
  layer?: NewLayer;
  author?: string;
  tags?: string[];
  intermediate?: boolean; // a build step's image (see StoredImage.intermediate)
}

/** Writes the image and tags it; an image with the same config digest already stored is reused. */
export async function composeImage(stores: ImageStores, base: ImageBase, opts: ComposeOptions): Promise<StoredImage> {
  const tagKeys = (opts.tags ?? []).map((t) => {
    const ref = parseReference(t);
    if (ref.digest) throw new EngineError(`refusing to tag with a digest reference: ${t}`, 'invalid');
    return fullReference(ref);
  });
  const created = opts.history.created ?? new Date().toISOString();
  const diffIds = opts.layer ? [...base.diffIds, opts.layer.diffId] : base.diffIds;
  const chainIds = opts.layer ? [...base.chainIds, chainIdOf(base.chainIds.at(-1), opts.layer.diffId)] : base.chainIds;
  const layers = opts.layer ? [...base.layers, { mediaType: MediaType.ociLayerGzip, digest: opts.layer.blob.digest, size: opts.layer.blob.size }] : base.layers;
  const history: HistoryEntry = { ...opts.history, created, ...(opts.layer ? {} : { empty_layer: true }) };
  const imageConfig: OciImageConfig = {
    created,
    ...(opts.author ? { author: opts.author } : {}),
    architecture: base.architecture,
    os: base.os,
    config: opts.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [...base.history, history],
  };
  const configBlob = serialise(imageConfig, MediaType.ociConfig);
  const manifest: OciManifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configBlob.descriptor, layers };
  const manifestBlob = serialise(manifest, MediaType.ociManifest);
  await stores.content.put(configBlob.bytes, configBlob.descriptor.digest);
  await stores.content.put(manifestBlob.bytes, manifestBlob.descriptor.digest);

  const image: StoredImage = {
    id: configBlob.descriptor.digest,
    manifestDigest: manifestBlob.descriptor.digest,
    created,
    architecture: base.architecture,
    os: base.os,
    config: opts.config,
    diffIds,
    chainIds,
    layerDigests: layers.map((l) => l.digest),
    size: 0,
    ...(opts.intermediate ? { intermediate: true } : {}),
  };
  for (const chain of chainIds) image.size += await stores.layers.layerSize(chain);
  await withLock(stores.paths, () => {
    for (const chain of chainIds) if (!stores.layers.has(chain)) throw new EngineError(`layer ${chain} vanished while the image was written`, 'internal');
    // The same image written before as a finished one stays finished.
    if (image.intermediate && stores.records.has(image.id) && !stores.records.read(image.id)?.intermediate) delete image.intermediate;
    stores.records.write(image);
    if (tagKeys.length > 0) stores.tags.update((refs) => { for (const key of tagKeys) refs.set(key, image.id); });
  });
  return image;
}
