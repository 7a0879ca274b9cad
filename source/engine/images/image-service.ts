// The facade the Engine instantiates: images by reference, import, list, tag, remove, check,
// and the layer directories a container's overlay is built from.
import type { CheckProblem, ImageRecord, ImageSummary, ImportOptions } from '../api.js';
import { EngineError } from '../errors.js';
import { ContentStore } from '../content/content-store.js';
import type { ByteSource } from '../layers/decompress.js';
import { LayerStore } from '../layers/layer-store.js';
import { withLock } from '../store/lock.js';
import { StorePaths } from '../store/paths.js';
import { checkImages } from './check.js';
import type { ImageStores } from './context.js';
import { collectGarbage, type Collected } from './gc.js';
import { ImageRecords, type StoredImage } from './image-records.js';
import { importImage } from './import.js';
import type { OciImageConfig } from './oci.js';
import { fullReference, parseReference } from './reference.js';
import { removeImage } from './remove.js';
import { resolveImage, toRecord } from './resolve.js';
import { TagStore } from './tag-store.js';

export class ImageService implements ImageStores {
  readonly paths: StorePaths;
  readonly content: ContentStore;
  readonly layers: LayerStore;
  readonly tags: TagStore;
  readonly records: ImageRecords;

  constructor(root: string | StorePaths) {
    this.paths = typeof root === 'string' ? new StorePaths(root) : root;
    this.paths.ensure();
    this.content = new ContentStore(this.paths);
    this.layers = new LayerStore(this.paths);
    this.tags = new TagStore(this.paths);
    this.records = new ImageRecords(this.paths);
  }

  /** By tag, name@digest, full id, sha256: prefix or unique id prefix; EngineError 'not-found' otherwise. */
  async resolve(ref: string): Promise<ImageRecord> {
    return this.record(resolveImage(this, ref));
  }

  /** resolve() plus what only the config blob knows: the comment and author docker inspect shows. */
  async inspect(ref: string): Promise<ImageRecord> {
    const record = await this.resolve(ref);
    const config = await this.content.getJson<OciImageConfig>(record.id).catch(() => undefined);
    const history = config?.history ?? [];
    return { ...record, comment: history[history.length - 1]?.comment ?? '', author: config?.author ?? '' };
  }

  exists(id: string): boolean {
    return typeof id === 'string' && this.records.has(id);
  }

  /** Absolute diff dirs, top layer first, as overlay's lowerdir wants them. */
  layerDirs(image: ImageRecord): string[] {
    const dirs = image.chainIds.map((chain) => {
      if (!this.layers.has(chain)) throw new EngineError(`layer ${chain} of image ${image.id} is missing from the store: run \`strata system check\``, 'internal');
      return this.layers.diffDir(chain);
    });
    return dirs.reverse();
  }

  async importImage(tar: ByteSource, ref: string | undefined, opts: ImportOptions = {}): Promise<ImageRecord> {
    return this.record(await importImage(this, tar, ref, opts));
  }

  async list(all = false): Promise<ImageSummary[]> {
    const index = this.tags.read();
    const tagged = new Set(index.values());
    return this.records.readable().images
      .filter((image) => all || !image.intermediate || tagged.has(image.id))
      .map((image) => {
        const r = toRecord(image, index);
        return { id: r.id, repoTags: r.repoTags, repoDigests: r.repoDigests, created: r.created, size: r.size, layers: r.diffIds.length };
      })
      .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
  }

  /** Points target (normalised, :latest by default) at the image source names. */
  async tag(source: string, target: string): Promise<void> {
    const ref = parseReference(target);
    if (ref.digest) throw new EngineError(`refusing to create a tag with a digest reference: ${target}`, 'invalid');
    await withLock(this.paths, () => {
      const image = resolveImage(this, source);
      this.tags.update((refs) => { refs.set(fullReference(ref), image.id); });
    });
  }

  remove(ref: string, force: boolean, isUsed: (id: string) => boolean): Promise<string[]> {
    return removeImage(this, ref, force, isUsed);
  }

  /** Deletes unreferenced layers and blobs and leftovers of interrupted work. */
  prune(): Promise<Collected> {
    return collectGarbage(this);
  }

  check(): Promise<CheckProblem[]> {
    return checkImages(this);
  }

  private record(image: StoredImage): ImageRecord {
    return toRecord(image, this.tags.read());
  }
}

