// The files of an image's root filesystem, read from its layers (a `save` archive, whiteouts
// applied) or from a tar of a container's root (`export`), as one comparable line per path:
// type, mode, owner, size, link target and a SHA-256 of a regular file's bytes. A hard link is
// listed as the file it shares bytes with, so two tars that chose different first names for
// one inode still agree.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';

export type Tree = Map<string, string>;

/** The tree of one tar; given the tree of the layers below, this one is applied on top of it (whiteouts too). */
export async function treeOfTar(input: Readable, tree: Tree = new Map()): Promise<Tree> {
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    input.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    const name = `/${header.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;
    const dir = name.slice(0, name.lastIndexOf('/'));
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (base === '.wh..wh..opq' || base.startsWith('.wh.')) {
      removeTree(tree, base === '.wh..wh..opq' ? dir : `${dir}/${base.slice(4)}`, base === '.wh..wh..opq');
      stream.on('end', next);
      stream.resume();
      return;
    }
    if (header.type !== 'directory') removeTree(tree, name, false);
    const owner = `${header.uid}:${header.gid} ${((header.mode ?? 0) & 0o7777).toString(8)}`;
    const hash = createHash('sha256');
    stream.on('data', (chunk: unknown) => hash.update(chunk as Buffer));
    stream.on('end', () => {
      if (header.type === 'file' || header.type === 'contiguous-file') tree.set(name, `file ${owner} ${header.size} ${hash.digest('hex')}`);
      else if (header.type === 'link') {
        const target = tree.get(`/${(header.linkname ?? '').replace(/^\.?\/+/, '')}`) ?? `file (link to missing ${header.linkname})`;
        tree.set(name, target.replace(/^file \S+ \S+/, `file ${owner}`));
      } else if (header.type === 'symlink') tree.set(name, `symlink ${owner} -> ${header.linkname}`);
      else if (header.type === 'directory') tree.set(name, `dir ${owner}`);
      else tree.set(name, `${header.type} ${owner} ${header.devmajor ?? 0},${header.devminor ?? 0}`);
      next();
    });
    stream.resume();
  });
  input.pipe(extract);
  await done;
  return tree;
}

// A whiteout: the path and everything under it, or (opaque) only what is under it.
function removeTree(tree: Tree, at: string, keepSelf: boolean): void {
  if (!keepSelf) tree.delete(at);
  const prefix = `${at}/`;
  for (const p of tree.keys()) if (p.startsWith(prefix)) tree.delete(p);
}

/** The merged tree of an image from a `save` archive (docker-archive): its layers in order. */
export async function treeOfSavedImage(archive: string, scratch: string): Promise<Tree> {
  fs.mkdirSync(scratch, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', scratch]);
  const [{ Layers }] = JSON.parse(fs.readFileSync(path.join(scratch, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
  const tree: Tree = new Map();
  for (const layer of Layers) {
    const file = path.join(scratch, layer);
    const gzipped = fs.readFileSync(file).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
    const input = fs.createReadStream(file);
    await treeOfTar(gzipped ? input.pipe(zlib.createGunzip()) : input, tree);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  return tree;
}

export interface TreeDiff {
  onlyLeft: string[];
  onlyRight: string[];
  differ: Array<{ path: string; left: string; right: string }>;
}

/**
 * What differs between two trees. For the paths `noise` accepts, the bytes are not compared
 * (everything else still is: type, mode, owner, size).
 */
export function diffTrees(left: Tree, right: Tree, noise: (path: string) => boolean = () => false): TreeDiff {
  const out: TreeDiff = { onlyLeft: [], onlyRight: [], differ: [] };
  const withoutBytes = (entry: string) => entry.replace(/^(file \S+ \S+ \d+) [0-9a-f]{64}$/, '$1');
  for (const [p, l] of left) {
    const r = right.get(p);
    if (r === undefined) out.onlyLeft.push(p);
    else if (noise(p) ? withoutBytes(r) !== withoutBytes(l) : r !== l) out.differ.push({ path: p, left: l, right: r });
  }
  for (const p of right.keys()) if (!left.has(p)) out.onlyRight.push(p);
  return out;
}

export function describeDiff(d: TreeDiff, leftName: string, rightName: string, max = 40): string {
  const lines = [
    ...d.onlyLeft.map((p) => `only in ${leftName}: ${p}`),
    ...d.onlyRight.map((p) => `only in ${rightName}: ${p}`),
    ...d.differ.map((x) => `${x.path}: ${leftName} ${x.left} | ${rightName} ${x.right}`),
  ];
  return lines.slice(0, max).join('\n') + (lines.length > max ? `\n… ${lines.length - max} more` : '');
}
