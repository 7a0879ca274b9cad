// What a COPY or ADD takes: its sources resolved (context paths with Go-style globs, another
// stage's or image's files, heredocs, URLs and local archives for ADD) and one digest of their
// names, modes, owners and bytes (not times, as docker), which is what the step cache compares.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import type { ArchiveKind } from './local-archive.js';
import type { SourceFs } from './source-fs.js';
import type { DownloadedUrl } from './url-download.js';

export type CopyItem =
  | { kind: 'tree'; fsys: SourceFs; rel: string; name?: string } // a file or a directory (its contents are copied); name: as the source named it
  | { kind: 'heredoc'; name: string; body: string }
  | DownloadedUrl
  | { kind: 'archive'; fsys: SourceFs; rel: string; format: ArchiveKind }; // ADD of a local tar, maybe compressed: extracted

const GLOB = /[*?[]/;

/** A context path as a relative one; refuses escapes (`../x`), as docker's classic builder does. */
export function contextRelative(source: string, fail: (why: string) => EngineError): string {
  const normal = path.posix.normalize(`./${source}`.replace(/^\.\/\//, '/'));
  const rel = normal.replace(/^\/+/, '');
  if (rel === '..' || rel.startsWith('../')) throw fail(`forbidden path outside the build context: ${source}`);
  return rel === '.' ? '' : rel.replace(/\/$/, '');
}

/** Go filepath.Match as a RegExp over a whole relative path. */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Paths in fsys matching a glob, walking only as deep as the pattern reaches. */
export function globMatches(fsys: SourceFs, pattern: string): string[] {
  const depth = pattern.split('/').length;
  const re = globRegExp(pattern);
  const out: string[] = [];
  const walk = (rel: string, level: number) => {
    for (const name of fsys.list(rel)) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (re.test(child)) out.push(child);
      if (level < depth && fsys.stat(child)?.isDirectory()) walk(child, level + 1);
    }
  };
  walk('', 1);
  return out;
}

/** Sources for one relative path or glob (which may match nothing); a clear error when a path is not there. */
export function treeSources(fsys: SourceFs, rel: string, original: string, fail: (why: string) => EngineError): Array<{ fsys: SourceFs; rel: string }> {
  if (GLOB.test(rel)) return globMatches(fsys, rel).map((m) => ({ fsys, rel: m }));
  if (!fsys.stat(rel)) throw fail(`${original}: not found (not in the build context, or excluded by .dockerignore)`);
  return [{ fsys, rel }];
}

const HASH_CHUNK = 1 << 20;

/** A file's bytes into the hash a chunk at a time: a file of any size (past 2 GiB too) in bounded memory. */
function hashFile(hash: crypto.Hash, file: string): void {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const chunk = Buffer.allocUnsafe(HASH_CHUNK);
    for (let n; (n = fs.readSync(fd, chunk, 0, HASH_CHUNK, null)) > 0;) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** One digest over everything the step copies: names, types, modes, owners and bytes — not times, as docker's cache key. */
export function itemsDigest(items: CopyItem[]): string {
  const hash = crypto.createHash('sha256');
  const tree = (fsys: SourceFs, rel: string, name: string) => {
    const st = fsys.stat(rel);
    if (!st) return;
    hash.update(`${name}\0${st.mode}\0${st.uid}:${st.gid}\0${st.size}\0`);
    if (st.isFile()) hashFile(hash, fsys.hostPath(rel));
    else if (st.isSymbolicLink()) hash.update(fs.readlinkSync(fsys.hostPath(rel)));
    else if (st.isDirectory()) for (const child of fsys.list(rel)) tree(fsys, rel === '' ? child : `${rel}/${child}`, `${name}/${child}`);
    hash.update('\n');
  };
  for (const item of items) {
    hash.update(`${item.kind}\0`);
    if (item.kind === 'tree' || item.kind === 'archive') tree(item.fsys, item.rel, item.rel);
    else if (item.kind === 'heredoc') hash.update(`${item.name}\0${item.body}`);
    else hash.update(`${item.url}\0${item.modified?.getTime() ?? 0}\0${item.digest}`);
    hash.update('\n');
  }
  return `sha256:${hash.digest('hex')}`;
}

export function urlFileName(url: string): string {
  const name = path.posix.basename(new URL(url).pathname);
  return name === '' || name === '/' ? 'index.html' : decodeURIComponent(name);
}
