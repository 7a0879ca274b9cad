// A tree a step reads from by name — the build context, a `--build-context` (a directory or
// docker-image://ref), an earlier stage or an image — with the one rule for its links: they
// resolve inside that tree, never on the host.
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import type { ImageService } from '../images/image-service.js';
import type { StoredImage } from '../images/image-records.js';
import { MergedLayers } from '../layers/merged-view.js';
import { ContextFs, resolveInside, type SourceFs } from './source-fs.js';

export interface TreeSource {
  fsys: SourceFs;
  /** rel with its links resolved inside the tree; `last`: the last component's too. */
  follow(rel: string, last: boolean): string;
  /** The image whose tree this is (its id says its content); undefined for a directory. */
  imageId?: string;
  isContext: boolean; // a directory on the host: its paths are context paths (no `..`)
}

/** `--build-context name=…`: a directory, or docker-image://ref. */
export type NamedContext = { kind: 'dir'; root: string } | { kind: 'image'; ref: string };

export function parseNamedContexts(given: Readonly<Record<string, string>>): Map<string, NamedContext> {
  const out = new Map<string, NamedContext>();
  for (const [name, value] of Object.entries(given)) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._/:@-]*$/.test(name)) throw new EngineError(`invalid context name ${JSON.stringify(name)}`, 'invalid');
    if (value.startsWith('docker-image://')) {
      const ref = value.slice('docker-image://'.length);
      if (ref === '') throw new EngineError(`invalid build context ${name}=${value}: an image reference is required`, 'invalid');
      out.set(name.toLowerCase(), { kind: 'image', ref });
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw new EngineError(`unsupported build context ${name}=${value}: use a directory or docker-image://ref`, 'invalid');
    } else {
      const root = path.resolve(value);
      if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new EngineError(`unable to prepare context ${name}: path ${JSON.stringify(value)} not found or not a directory`, 'invalid');
      out.set(name.toLowerCase(), { kind: 'dir', root });
    }
  }
  return out;
}

export function contextTree(context: ContextFs): TreeSource {
  return { fsys: context, follow: (rel, last) => (last ? context.follow(rel) : rel), isContext: true };
}

export function imageTree(images: ImageService, image: StoredImage | undefined): TreeSource {
  const view = mergedView(images, image);
  return {
    fsys: view,
    follow: (rel, last) => resolveInside(view, (r) => fs.readlinkSync(view.hostPath(r)), rel, last),
    imageId: image?.id ?? 'scratch',
    isContext: false,
  };
}

export function mergedView(images: ImageService, image: StoredImage | undefined): MergedLayers {
  return new MergedLayers(image ? [...image.chainIds].reverse().map((c) => images.layers.diffDir(c)) : []);
}
