// `rmi` with docker's rules. By name: untag; the image goes too when that was its last
// reference and no container uses it. By id: every tag goes with it, which needs force when it
// has several. An image a container uses is never deleted (its layers are that container's
// lowerdirs); force then only untags. Returns docker's "Untagged:"/"Deleted:" lines.
import { EngineError } from '../errors.js';
import { withLock } from '../store/lock.js';
import type { ImageStores } from './context.js';
import { collectGarbage } from './gc.js';
import { familiarOf, fullReference, parseReference } from './reference.js';
import { resolveImage, shortId } from './resolve.js';

export async function removeImage(stores: ImageStores, ref: string, force: boolean, isUsed: (id: string) => boolean): Promise<string[]> {
  const lines: string[] = [];
  const deleted = await withLock(stores.paths, () => {
    const image = resolveImage(stores, ref);
    const refs = stores.tags.refsOf(image.id);
    const used = isUsed(image.id);
    const named = namedReference(stores, ref, image.id);

    if (named) {
      // docker: untagging a repository's last tag drops that repository's digest references too (a pull's name@sha256:…)
      const digestRefs = named.includes('@') || refs.some((r) => r !== named && !r.includes('@') && repositoryOf(r) === repositoryOf(named))
        ? [] : refs.filter((r) => r.includes('@') && repositoryOf(r) === repositoryOf(named));
      const lastReference = refs.length === 1 + digestRefs.length;
      if (lastReference && used && !force) {
        throw new EngineError(`conflict: unable to remove repository reference "${ref}" (must force) - a container is using its referenced image ${shortId(image.id)}`, 'conflict');
      }
      stores.tags.update((index) => { for (const r of [named, ...digestRefs]) index.delete(r); });
      for (const r of [named, ...digestRefs]) lines.push(`Untagged: ${familiarOf(r)}`);
      if (!lastReference || used) return false;
    } else {
      if (used) {
        if (!force || refs.length === 0) {
          throw new EngineError(`conflict: unable to delete ${shortId(image.id)} (${force ? 'cannot be forced' : 'must be forced'}) - image is being used by a container`, 'conflict');
        }
        stores.tags.update((index) => { for (const r of refs) index.delete(r); });
        for (const r of refs) lines.push(`Untagged: ${familiarOf(r)}`);
        return false;
      }
      if (refs.length > 1 && !force) {
        throw new EngineError(`conflict: unable to delete ${shortId(image.id)} (must be forced) - image is referenced in multiple repositories`, 'conflict');
      }
      if (refs.length > 0) {
        stores.tags.update((index) => { for (const r of refs) index.delete(r); });
        for (const r of refs) lines.push(`Untagged: ${familiarOf(r)}`);
      }
    }
    stores.records.delete(image.id);
    lines.push(`Deleted: ${image.id}`);
    return true;
  });
  if (deleted) {
    const collected = await collectGarbage(stores);
    for (const layer of collected.layers) lines.push(`Deleted: ${layer}`);
  }
  return lines;
}

/** domain/path of an index key, without its tag or digest. */
function repositoryOf(key: string): string {
  const at = key.indexOf('@');
  if (at >= 0) return key.slice(0, at);
  const colon = key.lastIndexOf(':');
  return colon > key.lastIndexOf('/') ? key.slice(0, colon) : key;
}

/** The index key when ref names the image by reference rather than by id. */
function namedReference(stores: ImageStores, ref: string, id: string): string | undefined {
  if (ref.startsWith('sha256:')) return undefined;
  let key: string;
  try {
    key = fullReference(parseReference(ref));
  } catch {
    return undefined;
  }
  return stores.tags.get(key) === id ? key : undefined; // otherwise it matched as an id
}
