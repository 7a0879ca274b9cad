// `push`: the image's layers and config go up three at a time — skipped when the registry has
// them (HEAD), mounted from another repository of the same registry when strata knows one that
// has them, else uploaded (POST, then one PUT with the bytes, or PATCH chunks then PUT) — and the
// manifest is PUT last under the tag, so the registry never serves a tag with missing blobs.
import { Readable } from 'node:stream';
import type { PushOptions, PushResult } from '../api.js';
import { EngineError } from '../errors.js';
import type { Descriptor } from '../images/oci.js';
import { familiarReference, parseReference, repositoryName } from '../images/reference.js';
import { resolveImage } from '../images/resolve.js';
import { withLock } from '../store/lock.js';
import { discard } from './http.js';
import { registryError, repositoryScope, type RegistryClient } from './client.js';
import type { RegistryContext } from './context.js';
import { distributable } from './distributable.js';
import { runLimited } from './limit.js';
import { shortDigest } from './pull.js';

const CONCURRENT_UPLOADS = 3;

export async function pushImage(ctx: RegistryContext, text: string, opts: PushOptions = {}): Promise<PushResult> {
  const ref = parseReference(text);
  if (ref.digest) throw new EngineError(`cannot push a digest reference (${text}): push a tag`, 'invalid');
  const display = familiarReference(ref);
  let image;
  try {
    image = resolveImage(ctx.stores, text);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'not-found') throw new EngineError(`An image does not exist locally with the tag: ${familiarReference({ domain: ref.domain, path: ref.path })}`, 'not-found');
    throw err;
  }
  const out = await distributable(ctx.stores, ctx.metadata, image, (layer, done) => ctx.progress(shortDigest(layer.digest), 'Compressing', done, layer.size, display));
  const client = ctx.client(ref.domain, [repositoryScope(ref.path, 'pull,push')]);
  const blobs: Descriptor[] = [...out.manifest.layers, out.manifest.config];
  for (const blob of blobs) ctx.progress(shortDigest(blob.digest), 'Preparing', 0, blob.size, display);
  await runLimited(blobs, CONCURRENT_UPLOADS, (blob) => pushBlob(ctx, client, ref.domain, ref.path, blob, opts, display));

  const res = await client.request(`/v2/${ref.path}/manifests/${ref.tag}`, { method: 'PUT', headers: { 'Content-Type': out.mediaType }, body: out.bytes });
  if (res.status !== 201 && res.status !== 200) throw await registryError(res, `cannot push the manifest of ${display}`);
  discard(res);
  const claimed = res.headers['docker-content-digest'];
  if (typeof claimed === 'string' && claimed !== out.digest) throw new EngineError(`the registry stored the manifest of ${display} as ${claimed}, expected ${out.digest}`, 'internal');

  const repo = repositoryName(ref);
  await withLock(ctx.stores.paths, () => ctx.stores.tags.update((refs) => { refs.set(`${repo}@${out.digest}`, image.id); }));
  await ctx.metadata.remember({ sources: blobs.map((b) => [b.digest, repo] as [string, string]) });
  return { repository: familiarReference({ domain: ref.domain, path: ref.path }), tag: ref.tag!, digest: out.digest, size: out.bytes.length };
}

async function pushBlob(ctx: RegistryContext, client: RegistryClient, domain: string, repository: string, blob: Descriptor, opts: PushOptions, display: string): Promise<void> {
  const id = shortDigest(blob.digest);
  const progress = (action: string, current: number) => ctx.progress(id, action, current, blob.size, display);
  const head = await client.request(`/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
  discard(head);
  if (head.status === 200) {
    progress('Layer already exists', blob.size);
    return;
  }
  if (head.status !== 404) throw await registryError(head, `cannot check for blob ${blob.digest} in ${display}`);

  let location: string | undefined;
  for (const from of ctx.metadata.sourcesOf(blob.digest, domain).filter((r) => r !== repository)) {
    const mount = await client.request(`/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`, {
      method: 'POST',
      scopes: [repositoryScope(repository, 'pull,push'), repositoryScope(from, 'pull')],
    });
    discard(mount);
    if (mount.status === 201) {
      progress(`Mounted from ${from}`, blob.size);
      return;
    }
    if (mount.status === 202 && typeof mount.headers.location === 'string') {
      location = mount.headers.location; // the registry could not mount and opened an upload instead
      break;
    }
  }
  if (location === undefined) {
    const start = await client.request(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202 || typeof start.headers.location !== 'string') throw await registryError(start, `cannot start an upload to ${display}`);
    discard(start);
    location = start.headers.location;
  }
  progress('Pushing', 0);
  const chunked = opts.chunkSize !== undefined && opts.chunkSize > 0 && blob.size > opts.chunkSize;
  if (chunked) location = await uploadChunks(ctx, client, location, blob, opts.chunkSize!, progress);
  const url = client.url(location);
  url.searchParams.set('digest', blob.digest);
  const body = chunked ? undefined : await counted(ctx, blob, progress);
  const put = await client.request(url.href, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body,
    contentLength: chunked ? undefined : blob.size,
  });
  if (put.status !== 201) throw await registryError(put, `cannot upload blob ${blob.digest} to ${display}`);
  discard(put);
  progress('Pushed', blob.size);
}

async function uploadChunks(ctx: RegistryContext, client: RegistryClient, location: string, blob: Descriptor, chunkSize: number, progress: (action: string, current: number) => void): Promise<string> {
  let offset = 0;
  let current = location;
  const stream = await ctx.stores.content.open(blob.digest);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const send = async (chunk: Buffer) => {
    const res = await client.request(client.url(current).href, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + chunk.length - 1}` },
      body: chunk,
    });
    if (res.status !== 202 || typeof res.headers.location !== 'string') throw await registryError(res, `chunk upload of ${blob.digest} refused`);
    discard(res);
    current = res.headers.location;
    offset += chunk.length;
    progress('Pushing', offset);
  };
  for await (const data of stream) {
    pending.push(data as Buffer);
    pendingBytes += (data as Buffer).length;
    while (pendingBytes >= chunkSize) {
      const all = Buffer.concat(pending);
      await send(all.subarray(0, chunkSize));
      pending = [all.subarray(chunkSize)];
      pendingBytes = all.length - chunkSize;
    }
  }
  if (pendingBytes > 0) await send(Buffer.concat(pending));
  return current;
}

async function counted(ctx: RegistryContext, blob: Descriptor, progress: (action: string, current: number) => void): Promise<Readable> {
  const source = await ctx.stores.content.open(blob.digest);
  let done = 0;
  let reported = 0;
  return Readable.from((async function* () {
    for await (const chunk of source) {
      done += (chunk as Buffer).length;
      if (done - reported >= 1 << 20) {
        reported = done;
        progress('Pushing', done);
      }
      yield chunk as Buffer;
    }
  })(), { objectMode: false });
}
