// `save`: images → one tar stream, either as `docker save` writes it (manifest.json,
// repositories, <config>.json, <layer>/layer.tar with VERSION and json) or as an OCI image layout
// (oci-layout, index.json, blobs/sha256/…). The ingest lease is held while writing, so garbage
// collection (an `rmi` meanwhile) cannot take a blob that is being read.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import crypto from 'node:crypto';
import path from 'node:path';
import type tar from 'tar-stream';
import type { ArchiveFormat } from '../api.js';
import { EngineError } from '../errors.js';
import { digestHex } from '../content/digest.js';
import type { ImageStores } from '../images/context.js';
import { collectIfPending } from '../images/gc.js';
import type { StoredImage } from '../images/image-records.js';
import { MediaType, type OciManifest } from '../images/oci.js';
import { familiarOf, familiarReference, fullReference, parseReference, repositoryName } from '../images/reference.js';
import { findImage, resolveImage } from '../images/resolve.js';
import { plainTar } from '../layers/decompress.js';
import { writeTar } from './pump.js';
import { withIngestLease } from '../store/lock.js';

type EntryHeader = Parameters<tar.Pack['entry']>[0];

interface Selected {
  image: StoredImage;
  refs: string[]; // full references (docker.io/library/busybox:latest) the archive names it by
}

export async function saveImages(stores: ImageStores, refs: string[], out: NodeJS.WritableStream, format: ArchiveFormat = 'docker'): Promise<void> {
  if (refs.length === 0) throw new EngineError('save needs at least one image', 'invalid');
  try {
    await withIngestLease(stores.paths, async () => {
      const selected = select(stores, refs);
      // the caller owns `out` and ends it
      await writeTar(out, false, (pack) => (format === 'oci' ? writeOciLayout(stores, selected, pack) : writeDockerArchive(stores, selected, pack)));
    });
  } finally {
    // An `rmi` while we read deferred its collection to us.
    await collectIfPending(stores).catch(() => {});
  }
}

/** Every image named, once, with the tags it is saved under; a bare repository name means all of its tags (docker's rule). */
function select(stores: ImageStores, refs: string[]): Selected[] {
  const byId = new Map<string, Selected>();
  const add = (image: StoredImage, ref?: string) => {
    const entry = byId.get(image.id) ?? { image, refs: [] };
    if (ref && !entry.refs.includes(ref)) entry.refs.push(ref);
    byId.set(image.id, entry);
  };
  const index = stores.tags.read();
  for (const ref of refs) {
    const repoOnly = repositoryOnly(ref);
    if (repoOnly) {
      const tagged = [...index].filter(([key]) => !key.includes('@') && key.slice(0, key.lastIndexOf(':')) === repoOnly);
      if (tagged.length > 0 && !findImageById(stores, ref)) {
        for (const [key, id] of tagged) add(resolveImage(stores, id), key);
        continue;
      }
    }
    const image = resolveImage(stores, ref);
    const key = tagKeyFor(ref, index, image.id);
    add(image, key);
  }
  return [...byId.values()];
}

function repositoryOnly(ref: string): string | undefined {
  try {
    const parsed = parseReference(ref, { defaultTag: false });
    return parsed.tag || parsed.digest ? undefined : repositoryName(parsed);
  } catch {
    return undefined;
  }
}

function findImageById(stores: ImageStores, ref: string): boolean {
  return /^(sha256:)?[0-9a-f]{1,64}$/.test(ref) && findImage(stores, ref) !== undefined && !stores.tags.get(fullReference(parseReference(ref)));
}

function tagKeyFor(ref: string, index: Map<string, string>, id: string): string | undefined {
  try {
    const parsed = parseReference(ref);
    if (parsed.digest) return undefined;
    const key = fullReference(parsed);
    return index.get(key) === id ? key : undefined;
  } catch {
    return undefined; // named by id
  }
}

// ---- docker save -----------------------------------------------------------------------------

async function writeDockerArchive(stores: ImageStores, selected: Selected[], pack: tar.Pack): Promise<void> {
  const manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
  const repositories: Record<string, Record<string, string>> = {};
  const written = new Set<string>();
  const mtime = new Date(0);
  for (const { image, refs } of selected) {
    const configHex = digestHex(image.id);
    const layers: string[] = [];
    let parent = '';
    for (let i = 0; i < image.diffIds.length; i++) {
      const dir = digestHex(image.chainIds[i]);
      layers.push(`${dir}/layer.tar`);
      if (!written.has(dir)) {
        written.add(dir);
        await addBuffer(pack, `${dir}/`, undefined, mtime);
        await addBuffer(pack, `${dir}/VERSION`, Buffer.from('1.0'), mtime);
        const v1 = { id: dir, ...(parent ? { parent } : {}), created: image.created, container_config: { Cmd: null }, os: image.os };
        await addBuffer(pack, `${dir}/json`, Buffer.from(JSON.stringify(v1)), mtime);
        await addUncompressedLayer(stores, pack, `${dir}/layer.tar`, image.layerDigests[i], image.diffIds[i], mtime);
      }
      parent = dir;
    }
    if (!written.has(configHex)) {
      written.add(configHex);
      await addBuffer(pack, `${configHex}.json`, await stores.content.get(image.id), mtime);
    }
    const tags = refs.map(familiarOf);
    manifest.push({ Config: `${configHex}.json`, RepoTags: tags.length ? tags : null, Layers: layers });
    for (const ref of refs) {
      const parsed = parseReference(ref);
      const repo = familiarReference({ domain: parsed.domain, path: parsed.path });
      (repositories[repo] ??= {})[parsed.tag!] = parent;
    }
  }
  await addBuffer(pack, 'manifest.json', Buffer.from(JSON.stringify(manifest)), mtime);
  if (Object.keys(repositories).length > 0) await addBuffer(pack, 'repositories', Buffer.from(JSON.stringify(repositories)), mtime);
}

/** docker-archive layers are plain tars whose sha256 is the diffID: a compressed blob is unpacked to a temp file first. */
async function addUncompressedLayer(stores: ImageStores, pack: tar.Pack, name: string, blob: string, diffId: string, mtime: Date): Promise<void> {
  if (blob === diffId) {
    await addFile(pack, name, stores.content.path(blob), mtime);
    return;
  }
  const temp = path.join(stores.paths.tmpDir, `save-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  try {
    const hash = crypto.createHash('sha256');
    const file = await fsp.open(temp, 'wx', 0o600);
    try {
      for await (const chunk of plainTar(await stores.content.open(blob))) {
        hash.update(chunk as Buffer);
        await file.write(chunk as Buffer);
      }
    } finally {
      await file.close();
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== diffId) throw new EngineError(`layer blob ${blob} unpacks to ${actual}, not its diffID ${diffId}: run \`strata system check\``, 'internal');
    await addFile(pack, name, temp, mtime);
  } finally {
    await fsp.rm(temp, { force: true });
  }
}

// ---- OCI image layout ------------------------------------------------------------------------

async function writeOciLayout(stores: ImageStores, selected: Selected[], pack: tar.Pack): Promise<void> {
  const mtime = new Date(0);
  const written = new Set<string>();
  const manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }> = [];
  await addBuffer(pack, 'blobs/', undefined, mtime);
  await addBuffer(pack, 'blobs/sha256/', undefined, mtime);
  for (const { image, refs } of selected) {
    const manifestBytes = await stores.content.get(image.manifestDigest);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as OciManifest;
    for (const digest of [...image.layerDigests, image.id, image.manifestDigest]) {
      if (written.has(digest)) continue;
      written.add(digest);
      await addFile(pack, `blobs/sha256/${digestHex(digest)}`, stores.content.path(digest), mtime);
    }
    const base = { mediaType: manifest.mediaType ?? MediaType.ociManifest, digest: image.manifestDigest, size: manifestBytes.length };
    if (refs.length === 0) manifests.push(base);
    for (const ref of refs) {
      const parsed = parseReference(ref);
      manifests.push({ ...base, annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': parsed.tag! } });
    }
  }
  await addBuffer(pack, 'index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests })), mtime);
  await addBuffer(pack, 'oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })), mtime);
}

// ---- tar helpers -------------------------------------------------------------------------------

function addBuffer(pack: tar.Pack, name: string, data: Buffer | undefined, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    const header: EntryHeader = data === undefined
      ? { name, type: 'directory', mode: 0o755, mtime }
      : { name, type: 'file', mode: 0o644, mtime, size: data.length };
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (data === undefined) pack.entry(header, done);
    else pack.entry(header, data, done);
  });
}

async function addFile(pack: tar.Pack, name: string, file: string, mtime: Date): Promise<void> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ name, type: 'file', mode: 0o644, mtime, size }, (err) => (err ? reject(err) : resolve()));
      const source = fs.createReadStream('', { fd: handle.fd, autoClose: false, highWaterMark: 1 << 20 });
      source.on('error', (err) => sink.destroy(err));
      source.pipe(sink as unknown as NodeJS.WritableStream);
    });
  } finally {
    await handle.close();
  }
}
