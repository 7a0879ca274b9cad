// `build --cache-to type=local,dest=DIR` and `--cache-from type=local,src=DIR`: a build's step
// results carried to another store. DIR holds the step keys this build used or made
// (strata-build-cache.json: key → image id) and those images as one `docker save` archive
// (images.tar). Keys name the parent image by id, so a rebuild elsewhere hits them when its FROM
// image is the same image (a pulled base is). Imported images stay hidden build-cache images.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { loadImages } from '../archive/load.js';
import { saveImages } from '../archive/save.js';
import type { ImageService } from '../images/image-service.js';
import { withLock } from '../store/lock.js';

const INDEX = 'strata-build-cache.json';
const ARCHIVE = 'images.tar';

interface CacheIndex {
  version: 1;
  entries: Record<string, string>; // step key → image id
}

export async function exportCache(images: ImageService, dest: string, entries: ReadonlyMap<string, string>): Promise<void> {
  const live = [...entries].filter(([, id]) => images.exists(id));
  if (live.length === 0) return;
  fs.mkdirSync(dest, { recursive: true });
  const suffix = `.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const archive = path.join(dest, ARCHIVE + suffix);
  try {
    const out = fs.createWriteStream(archive);
    const closed = new Promise<void>((resolve, reject) => out.on('close', resolve).on('error', reject));
    try {
      await saveImages(images, [...new Set(live.map(([, id]) => id))], out, 'docker');
    } finally {
      out.end(); // saveImages leaves its stream to the caller
    }
    await closed;
    fs.writeFileSync(path.join(dest, INDEX + suffix), `${JSON.stringify({ version: 1, entries: Object.fromEntries(live) } satisfies CacheIndex)}\n`);
    fs.renameSync(archive, path.join(dest, ARCHIVE));
    fs.renameSync(path.join(dest, INDEX + suffix), path.join(dest, INDEX));
  } finally {
    fs.rmSync(archive, { force: true });
    fs.rmSync(path.join(dest, INDEX + suffix), { force: true });
  }
}

/** Loads DIR's images (as hidden build-cache images when new here) and returns its step keys. */
export async function importCache(images: ImageService, src: string): Promise<Map<string, string>> {
  const indexFile = path.join(src, INDEX);
  let index: CacheIndex;
  try {
    index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as CacheIndex;
  } catch (err) {
    throw new EngineError(`--cache-from ${src}: not a strata build cache (${indexFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message})`, 'invalid');
  }
  if (index?.version !== 1 || typeof index.entries !== 'object') throw new EngineError(`--cache-from ${src}: ${INDEX} is not a version 1 cache index`, 'invalid');
  const ids = new Set(Object.values(index.entries));
  const already = new Set([...ids].filter((id) => images.exists(id)));
  if (already.size < ids.size) {
    const loaded = await loadImages(images, fs.createReadStream(path.join(src, ARCHIVE)));
    const tagged = new Set(images.tags.read().values());
    await withLock(images.paths, () => {
      for (const { id } of loaded.images) {
        const record = images.records.read(id);
        if (record && !already.has(id) && !tagged.has(id) && !record.intermediate) images.records.write({ ...record, intermediate: true });
      }
    });
  }
  return new Map(Object.entries(index.entries).filter(([, id]) => images.exists(id)));
}
