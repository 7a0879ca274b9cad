// `load`: a `docker save` archive or an OCI image layout (tar, plain or gzip) → images in the
// store. Every blob is verified: OCI blobs hash to their names, docker-archive configs to their
// file names, every layer to the diffID its config names (a compressed layer is unpacked and
// hashed). Records and tags are written last under the store lock, so a bad archive leaves
// only unreferenced content, which garbage collection removes once the load is over.
import type { LoadResult } from '../api.js';
import { EngineError } from '../errors.js';
import type { ImageStores } from '../images/context.js';
import { collectGarbage } from '../images/gc.js';
import { MediaType, type Descriptor, type OciImageConfig, type OciManifest } from '../images/oci.js';
import { familiarOf, fullReference, parseReference } from '../images/reference.js';
import { isDigest } from '../content/digest.js';
import { plainTar, type ByteSource } from '../layers/decompress.js';
import { checkDescriptorSize, checkLayerCount } from '../layers/limits.js';
import { manifestKind, selectPlatform, type ImageIndex } from '../registry/formats.js';
import { hostPlatform } from '../registry/pull.js';
import { withIngestLease } from '../store/lock.js';
import { readArchive, type ArchiveBlob, type ArchiveIndex } from './archive-reader.js';
import { registerImage, type LoadedImage } from './register.js';

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export async function loadImages(stores: ImageStores, input: ByteSource): Promise<LoadResult> {
  try {
    return await withIngestLease(stores.paths, async () => {
      const archive = await readArchive(stores, input);
      const images = archive.has('manifest.json') ? await dockerImages(stores, archive) : await ociImages(stores, archive);
      if (images.length === 0) throw new EngineError('invalid archive: it names no images', 'invalid');
      const result: LoadResult = { images: [], untagged: [] };
      for (const image of images) {
        const { replaced } = await registerImage(stores, image);
        for (const [tag, oldId] of replaced) result.untagged.push(`The image ${familiarOf(tag)} already exists, renaming the old one with ID ${oldId} to empty string`);
        result.images.push({ id: image.configDigest, tags: image.tags.map(familiarOf) });
      }
      return result;
    });
  } finally {
    // Whatever the archive held that no image references (legacy json files, a failed load's blobs)
    await collectGarbage(stores).catch(() => {});
  }
}

// ---- docker save archives ----------------------------------------------------------------------

async function dockerImages(stores: ImageStores, archive: ArchiveIndex): Promise<LoadedImage[]> {
  const entries = parseJson<DockerManifestEntry[]>(await stores.content.get(archive.get('manifest.json', 'file').digest), 'manifest.json');
  if (!Array.isArray(entries)) throw new EngineError('invalid archive: manifest.json is not a list of images', 'invalid');
  const images: LoadedImage[] = [];
  for (const entry of entries) {
    if (typeof entry?.Config !== 'string' || !Array.isArray(entry.Layers)) throw new EngineError('invalid archive: a manifest.json entry lacks Config or Layers', 'invalid');
    checkLayerCount(entry.Layers.length);
    const config = archive.get(entry.Config, 'image config');
    const named = /([0-9a-f]{64})(?:\.json)?$/.exec(entry.Config);
    if (named && `sha256:${named[1]}` !== config.digest) {
      throw new EngineError(`invalid archive: image config ${entry.Config} hashes to ${config.digest}, not the digest its name says`, 'invalid');
    }
    const configDoc = parseJson<OciImageConfig>(await stores.content.get(config.digest), entry.Config);
    const diffIds = checkedDiffIds(configDoc, entry.Layers.length, entry.Config);
    const layers: Descriptor[] = [];
    for (let i = 0; i < entry.Layers.length; i++) {
      const blob = archive.get(entry.Layers[i], 'layer');
      if (blob.digest !== diffIds[i]) {
        // Compressed in the archive (or damaged): store the plain tar, which must hash to the diffID.
        const plain = await stores.content.put(plainTar(await stores.content.open(blob.digest), stores.layers.maxLayerBytes)).catch((err: Error) => {
          throw new EngineError(`invalid archive: layer ${entry.Layers[i]}: ${err.message}`, 'invalid');
        });
        if (plain.digest !== diffIds[i]) throw new EngineError(`invalid archive: layer ${entry.Layers[i]} hashes to ${plain.digest}, but its config says ${diffIds[i]}`, 'invalid');
        layers.push({ mediaType: MediaType.ociLayer, digest: plain.digest, size: plain.size });
      } else {
        layers.push({ mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size });
      }
    }
    if (entry.RepoTags != null && !Array.isArray(entry.RepoTags)) throw new EngineError(`invalid archive: RepoTags of ${entry.Config} is not a list`, 'invalid');
    const tags = (entry.RepoTags ?? []).map((t: unknown) => tagKey(t, `RepoTags of ${entry.Config}`));
    images.push({ configDigest: config.digest, config: configDoc, layers, diffIds, tags });
  }
  return images;
}

// ---- OCI image layouts -------------------------------------------------------------------------

async function ociImages(stores: ImageStores, archive: ArchiveIndex): Promise<LoadedImage[]> {
  if (!archive.has('index.json')) throw new EngineError('invalid archive: neither manifest.json (docker save) nor index.json (OCI image layout) is in it', 'invalid');
  if (archive.has('oci-layout')) {
    const layout = parseJson<{ imageLayoutVersion?: string }>(await stores.content.get(archive.get('oci-layout', 'file').digest), 'oci-layout');
    if (layout.imageLayoutVersion !== '1.0.0') throw new EngineError(`unsupported OCI image layout version ${JSON.stringify(layout.imageLayoutVersion)}`, 'invalid');
  }
  const index = parseJson<ImageIndex>(await stores.content.get(archive.get('index.json', 'file').digest), 'index.json');
  if (!Array.isArray(index.manifests)) throw new EngineError('invalid archive: index.json has no manifests', 'invalid');
  const byManifest = new Map<string, LoadedImage>();
  for (const desc of index.manifests) {
    const manifestDesc = await platformManifest(stores, archive, desc);
    const manifestBytes = await blob(stores, archive, manifestDesc.digest, 'manifest', manifestDesc.size);
    const manifest = parseJson<OciManifest>(manifestBytes, `manifest ${manifestDesc.digest}`);
    if (manifest.schemaVersion !== 2 || !manifest.config || !Array.isArray(manifest.layers)) throw new EngineError(`invalid archive: manifest ${manifestDesc.digest} is not an image manifest`, 'invalid');
    checkLayerCount(manifest.layers.length);
    let image = byManifest.get(manifestDesc.digest);
    if (!image) {
      const config = parseJson<OciImageConfig>(await blob(stores, archive, manifest.config.digest, 'image config', manifest.config.size), `config ${manifest.config.digest}`);
      const diffIds = checkedDiffIds(config, manifest.layers.length, manifest.config.digest);
      for (const layer of manifest.layers) sizedBlob(archive, layer, 'layer blob');
      image = { configDigest: manifest.config.digest, config, layers: manifest.layers, diffIds, tags: [], manifest: { digest: manifestDesc.digest, bytes: manifestBytes } };
      byManifest.set(manifestDesc.digest, image);
    }
    const name = desc.annotations?.['io.containerd.image.name'] ?? desc.annotations?.['org.opencontainers.image.ref.name'];
    // A bare "latest" names no repository: such an image loads untagged, as docker does.
    if (name && /[/:]/.test(name)) {
      const key = tagKey(name, 'index.json annotation');
      if (!image.tags.includes(key)) image.tags.push(key);
    }
  }
  return [...byManifest.values()];
}

/** The index entry itself, or for a nested index the entry for this host's platform. */
async function platformManifest(stores: ImageStores, archive: ArchiveIndex, desc: Descriptor, depth = 0): Promise<Descriptor> {
  if (!isDigest(desc?.digest ?? '')) throw new EngineError(`invalid archive: index.json names an invalid digest ${JSON.stringify(desc?.digest)}`, 'invalid');
  if (desc.mediaType !== MediaType.ociIndex && desc.mediaType !== 'application/vnd.docker.distribution.manifest.list.v2+json') return desc;
  if (depth > 4) throw new EngineError('invalid archive: indexes nested too deep', 'invalid');
  const nested = parseJson<ImageIndex>(await blob(stores, archive, desc.digest, 'index', desc.size), `index ${desc.digest}`);
  const entry = selectPlatform(nested, hostPlatform());
  if (!entry) throw new EngineError(`the archive has no image for ${hostPlatform().os}/${hostPlatform().architecture}`, 'not-found');
  if (manifestKind(entry.mediaType, nested) === 'index') return platformManifest(stores, archive, entry, depth + 1);
  return entry;
}

function blobPath(digest: string): string {
  if (!isDigest(digest)) throw new EngineError(`invalid archive: invalid digest ${JSON.stringify(digest)}`, 'invalid');
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}

async function blob(stores: ImageStores, archive: ArchiveIndex, digest: string, what: string, size: unknown): Promise<Buffer> {
  // The reader stored blobs/sha256/<hex> only when its content hashed to <hex>.
  return stores.content.get(sizedBlob(archive, { digest, size }, what).digest);
}

/** The blob a descriptor names, refused unless it has the size the descriptor declares. */
function sizedBlob(archive: ArchiveIndex, desc: { digest: string; size: unknown }, what: string): ArchiveBlob {
  const found = archive.get(blobPath(desc.digest), what);
  const size = checkDescriptorSize(desc.size, `invalid archive: ${what} ${desc.digest}`);
  if (found.size !== size) throw new EngineError(`invalid archive: ${what} ${desc.digest} is ${found.size} bytes, its descriptor says ${size}`, 'invalid');
  return found;
}

// ---- shared ----------------------------------------------------------------------------------------

function checkedDiffIds(config: OciImageConfig, layers: number, what: string): string[] {
  const diffIds = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string' && isDigest(d))) throw new EngineError(`invalid archive: image config ${what} has no valid rootfs.diff_ids`, 'invalid');
  if (diffIds.length !== layers) throw new EngineError(`invalid archive: image config ${what} lists ${diffIds.length} layers, the manifest ${layers}`, 'invalid');
  return diffIds;
}

function tagKey(name: unknown, where: string): string {
  if (typeof name !== 'string') throw new EngineError(`invalid archive: ${where}: ${JSON.stringify(name) ?? String(name)} is not a string`, 'invalid');
  let ref;
  try {
    ref = parseReference(name);
  } catch (err) {
    throw new EngineError(`invalid archive: ${where}: ${(err as Error).message}`, 'invalid');
  }
  if (ref.digest) throw new EngineError(`invalid archive: ${where}: ${name} is a digest, not a tag`, 'invalid');
  return fullReference(ref);
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new EngineError(`invalid archive: ${what} is not valid JSON: ${(err as Error).message}`, 'invalid');
  }
}
