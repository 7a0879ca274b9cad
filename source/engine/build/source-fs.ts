// What COPY reads from: the build context (minus .dockerignore'd paths) or another stage's or
// image's file tree, seen through its layers as overlayfs would merge them (whiteouts and
// opaque directories honoured) without mounting anything.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
export { MergedLayers as LayersFs } from '../layers/merged-view.js';

// @balena/dockerignore is CommonJS whose typings declare an ES default export.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as typeof import('@balena/dockerignore').default;

export interface SourceFs {
  /** lstat of rel ('' is the root), undefined when absent. */
  stat(rel: string): fs.Stats | undefined;
  /** Where rel's bytes are on the host (regular files, symlinks). */
  hostPath(rel: string): string;
  /** Names in directory rel, sorted. */
  list(rel: string): string[];
}

export class ContextFs implements SourceFs {
  private readonly ignored: (rel: string) => boolean;

  constructor(readonly root: string) {
    const file = path.join(root, '.dockerignore');
    const patterns = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\r?\n/) : [];
    const matcher = ignore().add(patterns.filter((p) => p.trim() !== '' && !p.trim().startsWith('#')));
    this.ignored = (rel) => rel !== '' && matcher.ignores(rel);
  }

  isIgnored(rel: string): boolean {
    return this.ignored(rel);
  }

  stat(rel: string): fs.Stats | undefined {
    if (this.ignored(rel)) return undefined;
    return fs.lstatSync(this.hostPath(rel), { throwIfNoEntry: false });
  }

  hostPath(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, rel);
  }

  list(rel: string): string[] {
    return fs.readdirSync(this.hostPath(rel)).sort().filter((n) => !this.ignored(rel === '' ? n : `${rel}/${n}`));
  }
}

/** Reads a small file (passwd, group) out of a tree; undefined when absent or not a file. */
export function readSmallFile(fsys: SourceFs, rel: string): string | undefined {
  const st = fsys.stat(rel);
  if (!st || !st.isFile()) return undefined;
  return fs.readFileSync(fsys.hostPath(rel), 'utf8');
}
