// What a push sends must be compressed: an image that only has uncompressed layer blobs (an
// `import`, a build) gets a gzip blob per layer, made once — the diffID → gzip blob mapping is
// remembered — and a manifest naming those blobs, which becomes the image's manifest from then
// on (the image id, its config digest, does not change).
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { EngineError } from '../errors.js';
import type { ImageStores } from '../images/context.js';
import type { StoredImage } from '../images/image-records.js';
import { MediaType, serialise, type Descriptor } from '../images/oci.js';
import { withIngestLease, withLock } from '../store/lock.js';
import { DockerMediaType, layerCompression, type ImageManifest } from './formats.js';
import type { DistributionMetadata } from './metadata.js';

export interface Distributable {
  manifest: ImageManifest;
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

export type CompressProgress = (layer: Descriptor, done: number) => void;

export async function distributable(stores: ImageStores, metadata: DistributionMetadata, image: StoredImage, progress: CompressProgress): Promise<Distributable> {
  const bytes = await stores.content.get(image.manifestDigest);
  const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  const mediaType = manifest.mediaType ?? MediaType.ociManifest;
  if (manifest.layers.every((l) => layerCompression(l.mediaType) !== 'none')) return { manifest, bytes, digest: image.manifestDigest, mediaType };

  return withIngestLease(stores.paths, async () => {
    const gzipType = mediaType === DockerMediaType.manifest ? DockerMediaType.layerGzip : MediaType.ociLayerGzip;
    const layers: Descriptor[] = [];
    const learned: Array<[string, Descriptor]> = [];
    for (const [i, layer] of manifest.layers.entries()) {
      if (layerCompression(layer.mediaType) !== 'none') {
        layers.push(layer);
        continue;
      }
      const diffId = image.diffIds[i];
      const known = metadata.compressedOf(diffId);
      if (known && stores.content.hasSync(known.digest)) {
        layers.push({ ...known, mediaType: gzipType });
        continue;
      }
      const blob = await gzipBlob(stores, layer, (done) => progress(layer, done));
      const desc = { mediaType: gzipType, digest: blob.digest, size: blob.size };
      layers.push(desc);
      learned.push([diffId, desc]);
    }
    const next = serialise({ ...manifest, layers }, mediaType);
    await stores.content.put(next.bytes, next.descriptor.digest);
    await withLock(stores.paths, () => {
      const current = stores.records.read(image.id);
      if (!current) throw new EngineError(`image ${image.id} was removed during the push`, 'not-found');
      stores.records.write({ ...current, manifestDigest: next.descriptor.digest, layerDigests: layers.map((l) => l.digest) });
    });
    if (learned.length > 0) await metadata.remember({ compressed: learned });
    return { manifest: { ...manifest, layers }, bytes: next.bytes, digest: next.descriptor.digest, mediaType };
  });
}

async function gzipBlob(stores: ImageStores, layer: Descriptor, progress: (done: number) => void) {
  let done = 0;
  const counted = new PassThrough();
  counted.on('data', (chunk: Buffer) => {
    done += chunk.length;
    progress(done);
  });
  const gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED, chunkSize: 1 << 16 });
  const stored = stores.content.put(gzip);
  await Promise.all([pipeline(await stores.content.open(layer.digest), counted, gzip), stored]);
  return stored;
}
