// /images: list, inspect, history, tag, remove, pull and import (create), push, prune, save
// (get), load, search. Names carry slashes (127.0.0.1:5000/team/app:1.2), so /images/* is
// matched here by its last segment.
import type { Call } from '../call.js';
import { filters, flag, int } from '../call.js';
import { imageInspect } from '../../engine/docker-shape/image-inspect.js';
import { badRequest, notFound } from '../errors.js';
import { JsonStream, withProgress } from '../json-stream.js';
import type { Routes } from '../router.js';
import { imageListShape, unixSeconds } from '../shapes.js';

export function registerImages(r: Routes): void {
  r.on('GET', '/images/json', listImages);
  r.on('POST', '/images/create', create);
  r.on('POST', '/images/prune', async (call) => {
    const f = filters(call);
    const dangling = f.dangling?.[0];
    const report = await call.engine.pruneImages(dangling === 'false' || dangling === '0');
    return {
      ImagesDeleted: [...report.untagged.map((u) => ({ Untagged: u })), ...report.deleted.map((d) => ({ Deleted: d }))],
      SpaceReclaimed: report.spaceReclaimed,
    };
  });
  r.on('GET', '/images/get', async (call) => save(call, call.query.getAll('names')));
  r.on('POST', '/images/load', load);
  r.on('GET', '/images/search', async (call) => {
    const term = call.query.get('term');
    if (!term) throw badRequest('term is required');
    const results = await call.engine.searchImages(term, int(call, 'limit') ?? 25);
    return results.map((s) => ({ name: s.name, description: s.description, star_count: s.stars, is_official: s.official, is_automated: s.automated }));
  });
  r.on(['GET', 'POST', 'DELETE'], '/images/*', byName);
  r.on('GET', '/distribution/*', async (call) => {
    const name = call.params['*'].replace(/\/json$/, '');
    const image = await call.engine.inspectImage(name).catch(() => { throw notFound(`No such image: ${name}: strata answers distribution inspect from the local store only`); });
    return { Descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest || image.id, size: 0 }, Platforms: [{ architecture: image.architecture, os: image.os }] };
  });
}

async function listImages(call: Call) {
  const f = filters(call);
  const images = await call.engine.listImages(flag(call, 'all'));
  return images
    .filter((i) => !f.dangling?.length || (f.dangling[0] === 'true') === (i.repoTags.length === 0))
    .filter((i) => !f.reference?.length || f.reference.some((ref) => i.repoTags.some((t) => globMatches(ref.includes(':') ? ref : `${ref}:*`, t))))
    .map((i) => imageListShape(i));
}

function globMatches(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.')}$`);
  return re.test(text) || re.test(text.replace(/^docker\.io\/(library\/)?/, ''));
}

async function byName(call: Call) {
  const rest = call.params['*'];
  if (call.method === 'DELETE') {
    const lines = await call.engine.removeImage(rest, flag(call, 'force'));
    return lines.map((line) => {
      const [kind, ...value] = line.split(': ');
      return { [kind]: value.join(': ') };
    });
  }
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(0, slash);
  const action = rest.slice(slash + 1);
  if (slash <= 0) throw notFound('page not found');
  if (call.method === 'GET' && action === 'json') {
    return imageInspect(await call.engine.inspectImage(name), call.engine.options.root);
  }
  if (call.method === 'GET' && action === 'history') {
    const entries = await call.engine.imageHistory(name);
    return entries.map((h) => ({ Id: h.id, Created: unixSeconds(h.created), CreatedBy: h.createdBy, Tags: h.tags.length ? h.tags : null, Size: h.size, Comment: h.comment }));
  }
  if (call.method === 'GET' && action === 'get') return save(call, [name]);
  if (call.method === 'POST' && action === 'tag') {
    const repo = call.query.get('repo');
    if (!repo) throw badRequest('repository name must have at least one component');
    const tag = call.query.get('tag') || 'latest';
    await call.engine.tagImage(name, `${repo}:${tag}`);
    return call.reply.empty(201);
  }
  if (call.method === 'POST' && action === 'push') return push(call, name);
  throw notFound('page not found');
}

async function create(call: Call) {
  const fromImage = call.query.get('fromImage');
  const fromSrc = call.query.get('fromSrc');
  if (!fromImage && !fromSrc) throw badRequest('fromImage or fromSrc is required');
  if (fromSrc) return importImage(call, fromSrc);
  const tag = call.query.get('tag');
  const ref = tag ? (tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`) : fromImage!;
  const stream = new JsonStream(call);
  stream.status(`Pulling from ${pathOf(fromImage!)}`, tag || 'latest');
  try {
    const platform = call.query.get('platform');
    const result = await withProgress(call.engine, stream, () => call.engine.pullImage(ref, platform ? { platform } : {}));
    stream.status(`Digest: ${result.digest}`);
    stream.status(`Status: ${result.status === 'downloaded' ? 'Downloaded newer image' : 'Image is up to date'} for ${result.reference}`);
  } catch (err) {
    stream.error(err);
  }
  stream.end();
}

async function importImage(call: Call, fromSrc: string) {
  if (fromSrc !== '-') throw badRequest('strata imports from the request body only (fromSrc=-)');
  const repo = call.query.get('repo');
  const tag = call.query.get('tag');
  const repoHasTag = repo !== null && repo.lastIndexOf(':') > repo.lastIndexOf('/');
  const ref = repo ? (tag ? `${repo}:${tag}` : repoHasTag ? repo : `${repo}:latest`) : undefined;
  const changes = call.query.getAll('changes');
  const message = call.query.get('message');
  const stream = new JsonStream(call);
  try {
    const { Readable } = await import('node:stream');
    const image = await call.engine.importImage(Readable.from(call.body), ref, { changes, ...(message ? { message } : {}) });
    stream.status(image.id);
  } catch (err) {
    stream.error(err);
  }
  stream.end();
}

async function push(call: Call, name: string) {
  const tag = call.query.get('tag');
  const target = tag ? `${name}:${tag}` : /:[\w][\w.-]*$/.test(name.slice(name.lastIndexOf('/') + 1)) ? name : `${name}:latest`;
  await call.engine.inspectImage(target);
  const stream = new JsonStream(call);
  stream.status(`The push refers to repository [${target.replace(/:[^:/]*$/, '')}]`);
  try {
    const result = await withProgress(call.engine, stream, () => call.engine.pushImage(target));
    stream.status(`${result.tag}: digest: ${result.digest} size: ${result.size}`);
    stream.write({ progressDetail: {}, aux: { Tag: result.tag, Digest: result.digest, Size: result.size } });
  } catch (err) {
    stream.error(err);
  }
  stream.end();
}

async function save(call: Call, names: string[]) {
  if (names.length === 0) throw badRequest('no images given');
  for (const n of names) await call.engine.inspectImage(n);
  const out = call.reply.stream(200, 'application/x-tar');
  await call.engine.saveImages(names, out);
  out.end();
}

async function load(call: Call) {
  const { Readable } = await import('node:stream');
  const result = await call.engine.loadImages(Readable.from(call.body));
  const stream = new JsonStream(call);
  for (const line of result.untagged) stream.write({ stream: `${line}\n` });
  for (const image of result.images) {
    if (image.tags.length) for (const tag of image.tags) stream.write({ stream: `Loaded image: ${tag}\n` });
    else stream.write({ stream: `Loaded image ID: ${image.id}\n` });
  }
  stream.end();
}

// "busybox" → "library/busybox", "127.0.0.1:5000/team/app" → "team/app"
function pathOf(repo: string): string {
  const parts = repo.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) return parts.slice(1).join('/');
  return repo.includes('/') ? repo : `library/${repo}`;
}
