// What COPY reads from: the build context (minus .dockerignore'd paths) or another stage's or
// image's file tree, seen through its layers as overlayfs would merge them (whiteouts and
// opaque directories honoured) without mounting anything.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { EngineError } from '../errors.js';
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

/** A path whose links go round (ELOOP): the step names it in its own error. */
export class LinkLoopError extends EngineError {
  constructor(message: string) {
    super(message, 'invalid');
  }
}

/**
 * rel with its symlinks resolved inside the tree, as under chroot: an absolute target starts
 * again at the tree's root and `..` stops there, so no link reads outside it. `followLast`:
 * the last component too (a named COPY source), else only the directories leading to it.
 */
export function resolveInside(fsys: Pick<SourceFs, 'stat'>, readlink: (rel: string) => string, rel: string, followLast: boolean): string {
  let parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  let resolved = '';
  for (let hops = 0, i = 0; i < parts.length; i++) {
    if (parts[i] === '..') {
      resolved = resolved.includes('/') ? resolved.slice(0, resolved.lastIndexOf('/')) : '';
      continue;
    }
    const next = resolved === '' ? parts[i] : `${resolved}/${parts[i]}`;
    const last = i === parts.length - 1;
    if ((followLast || !last) && fsys.stat(next)?.isSymbolicLink()) {
      // a loop is an error, never a fallback to the path as written (the host would follow it)
      if (++hops > 40) throw new LinkLoopError(`${rel}: too many levels of symbolic links`);
      const link = readlink(next);
      const base = link.startsWith('/') ? '' : resolved;
      parts = [...`${base}/${link}`.split('/').filter((p) => p !== '' && p !== '.'), ...parts.slice(i + 1)];
      resolved = '';
      i = -1;
      continue;
    }
    resolved = next;
  }
  return resolved;
}

export class ContextFs implements SourceFs {
  private readonly ignored: (rel: string) => boolean;

  /** ignoreFile: the .dockerignore in force (`<Dockerfile>.dockerignore` when there is one). */
  constructor(readonly root: string, ignoreFile = path.join(root, '.dockerignore')) {
    const lines = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8').split(/\r?\n/) : [];
    const patterns = lines.map((p) => p.trim()).filter((p) => p !== '' && !p.startsWith('#'));
    const matcher = ignore().add(patterns);
    const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/^\/+/, '').split('/'));
    // an ignored directory stays when an exception keeps something inside it (`docs` then `!docs/README.md`), as docker's walk descends
    const holdsException = (rel: string) => exceptions.some((p) => mayMatchInside(p, rel)) && this.lstat(this.inside(rel, false))?.isDirectory() === true && this.list(rel).length > 0;
    this.ignored = (rel) => rel !== '' && matcher.ignores(rel) && !holdsException(rel);
  }

  isIgnored(rel: string): boolean {
    return this.ignored(rel);
  }

  // an ignored path stays out whatever name reaches it (a link to an ignored directory too), as
  // BuildKit's context never holds it
  stat(rel: string): fs.Stats | undefined {
    if (this.ignored(rel)) return undefined;
    const real = this.inside(rel, false);
    return this.ignored(real) ? undefined : this.lstat(real);
  }

  /** rel's place on the host, its directories' links resolved inside the context. */
  hostPath(rel: string): string {
    return this.host(this.inside(rel, false));
  }

  /** rel with every link (the last one too) resolved inside the context: what a named COPY source is. */
  follow(rel: string): string {
    return this.inside(rel, true);
  }

  private inside(rel: string, followLast: boolean): string {
    return resolveInside({ stat: (r) => (this.ignored(r) ? undefined : this.lstat(r)) }, (r) => fs.readlinkSync(this.host(r)), rel, followLast);
  }

  // only for link-free paths (what inside() returns and its prefixes)
  private lstat(real: string): fs.Stats | undefined {
    return fs.lstatSync(this.host(real), { throwIfNoEntry: false });
  }

  private host(real: string): string {
    return real === '' ? this.root : path.join(this.root, real);
  }

  list(rel: string): string[] {
    const real = this.inside(rel, false);
    const child = (base: string, n: string) => (base === '' ? n : `${base}/${n}`);
    return fs.readdirSync(this.host(real)).sort().filter((n) => !this.ignored(child(rel, n)) && !this.ignored(child(real, n)));
  }
}

/** Whether an exception pattern (split on /) may match something below dir rel; globs are taken as matching. */
function mayMatchInside(pattern: string[], rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    if (i >= pattern.length) return false;
    if (/[*?[\\]/.test(pattern[i])) return true;
    if (pattern[i] !== parts[i]) return false;
  }
  return pattern.length > parts.length;
}

/** Reads a small file (passwd, group) out of a tree; undefined when absent or not a file. */
export function readSmallFile(fsys: SourceFs, rel: string): string | undefined {
  const st = fsys.stat(rel);
  if (!st || !st.isFile()) return undefined;
  return fs.readFileSync(fsys.hostPath(rel), 'utf8');
}
