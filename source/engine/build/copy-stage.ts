// Fills a staging directory with what a COPY/ADD writes, laid out from the image root, so it can
// be packed as the step's layer (layer-from-dir.ts) with no container. Destinations are resolved
// through the image's symlinks (COPY x /lib/ where /lib → usr/lib lands in /usr/lib), parent
// directories the image has keep their owner, mode and time, and new ones are root's 0755.
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { extractLayer } from '../layers/extract.js';
import type { MergedLayers } from '../layers/merged-view.js';
import { urlFileName, type CopyItem } from './copy-sources.js';
import { archiveBytes } from './local-archive.js';
import { resolveInside, type SourceFs } from './source-fs.js';

export interface CopyTarget {
  dest: string; // absolute in the image, as written (a trailing slash means a directory)
  chown?: { uid: number; gid: number };
  chmod?: number;
}

interface Meta { mode: number; uid: number; gid: number; mtime: Date }

export class StagingTree {
  private readonly dirTimes = new Map<string, Date>();

  constructor(private readonly root: string, private readonly image: MergedLayers) {}

  /** Writes every item; `many` is whether the instruction named more than one source. */
  async copy(items: CopyItem[], target: CopyTarget, many: boolean, fail: (why: string) => EngineError): Promise<void> {
    const destIsDir = many || /\/\.?$/.test(target.dest) || target.dest === '.' || this.image.stat(this.inImage(target.dest).slice(1))?.isDirectory() === true;
    const dest = this.inImage(target.dest.replace(/\/+$/, '') || '/');
    for (const item of items) {
      if (item.kind === 'tree') {
        const st = item.fsys.stat(item.rel)!;
        if (st.isDirectory()) {
          this.ensureDir(dest, target);
          for (const child of item.fsys.list(item.rel)) this.copyTree(item.fsys, item.rel === '' ? child : `${item.rel}/${child}`, path.posix.join(dest, child), target);
        } else {
          const to = destIsDir ? path.posix.join(dest, item.name ?? path.posix.basename(item.rel)) : dest;
          this.ensureDir(path.posix.dirname(to), undefined);
          this.copyTree(item.fsys, item.rel, to, target);
        }
      } else if (item.kind === 'heredoc') {
        const to = destIsDir ? path.posix.join(dest, item.name) : dest;
        this.writeFile(to, Buffer.from(item.body), { mode: target.chmod ?? 0o644, uid: target.chown?.uid ?? 0, gid: target.chown?.gid ?? 0, mtime: new Date() });
      } else if (item.kind === 'url') {
        const to = destIsDir ? path.posix.join(dest, urlFileName(item.url)) : dest;
        this.writeFile(to, { file: item.file }, { mode: target.chmod ?? 0o600, uid: target.chown?.uid ?? 0, gid: target.chown?.gid ?? 0, mtime: item.modified ?? new Date() });
      } else {
        this.ensureDir(dest, target);
        try {
          const archive = archiveBytes(item.fsys.hostPath(item.rel), item.format);
          await extractLayer(archive.bytes, this.host(dest));
          await archive.done();
        } catch (err) {
          throw fail(`cannot extract ${item.rel}: ${(err as Error).message}`);
        }
      }
    }
  }

  /** A directory (WORKDIR) with its parents, resolved through the image's links; new ones are owner's (the USER's, as BuildKit). */
  makeDir(abs: string, owner?: { uid: number; gid: number }): void {
    this.ensureDir(this.inImage(abs), owner && { dest: abs, chown: owner }, true);
  }

  /** Directory times last: adding entries changed them. */
  finish(): void {
    for (const [dir, mtime] of this.dirTimes) fs.utimesSync(this.host(dir), mtime, mtime);
  }

  private host(abs: string): string {
    return path.join(this.root, abs);
  }

  inImage(abs: string): string {
    return resolveInImage(this.image, abs);
  }

  /** Creates abs and its parents in the staging tree; `owner` applies to a new abs itself (and new parents with ownParents). */
  private ensureDir(abs: string, owner: CopyTarget | undefined, ownParents = false): void {
    if (abs === '/' || fs.existsSync(this.host(abs))) return;
    this.ensureDir(path.posix.dirname(abs), ownParents ? owner : undefined, ownParents);
    const existing = this.image.stat(abs.slice(1));
    const meta: Meta = existing?.isDirectory()
      ? { mode: existing.mode & 0o7777, uid: existing.uid, gid: existing.gid, mtime: existing.mtime }
      : { mode: 0o755, uid: owner?.chown?.uid ?? 0, gid: owner?.chown?.gid ?? 0, mtime: new Date() };
    fs.mkdirSync(this.host(abs));
    this.apply(abs, meta);
    this.dirTimes.set(abs, meta.mtime);
  }

  private copyTree(fsys: SourceFs, rel: string, to: string, target: CopyTarget): void {
    const st = fsys.stat(rel);
    if (!st) return;
    const meta: Meta = { mode: target.chmod ?? st.mode & 0o7777, uid: target.chown?.uid ?? 0, gid: target.chown?.gid ?? 0, mtime: st.mtime };
    const host = this.host(to);
    if (st.isDirectory()) {
      if (!fs.existsSync(host)) fs.mkdirSync(host);
      this.apply(to, meta);
      this.dirTimes.set(to, st.mtime);
      for (const child of fsys.list(rel)) this.copyTree(fsys, `${rel}/${child}`, `${to}/${child}`, target);
    } else if (st.isFile()) {
      fs.rmSync(host, { force: true, recursive: true });
      fs.copyFileSync(fsys.hostPath(rel), host);
      this.apply(to, meta);
      fs.utimesSync(host, st.atime, st.mtime);
    } else if (st.isSymbolicLink()) {
      fs.rmSync(host, { force: true, recursive: true });
      fs.symlinkSync(fs.readlinkSync(fsys.hostPath(rel)), host);
      fs.lchownSync(host, meta.uid, meta.gid);
      fs.lutimesSync(host, st.atime, st.mtime);
    } // sockets, devices and fifos in a context are not copied, as docker skips them
  }

  private writeFile(abs: string, data: Buffer | { file: string }, meta: Meta): void {
    this.ensureDir(path.posix.dirname(abs), undefined);
    fs.rmSync(this.host(abs), { force: true, recursive: true });
    if (Buffer.isBuffer(data)) fs.writeFileSync(this.host(abs), data);
    else fs.copyFileSync(data.file, this.host(abs), fs.constants.COPYFILE_FICLONE);
    this.apply(abs, meta);
    fs.utimesSync(this.host(abs), meta.mtime, meta.mtime);
  }

  private apply(abs: string, meta: Meta): void {
    const host = this.host(abs);
    fs.lchownSync(host, meta.uid, meta.gid);
    fs.chmodSync(host, meta.mode);
  }
}

/** abs resolved through the image's symlinks, so a layer never shadows a link with a directory. */
export function resolveInImage(image: MergedLayers, abs: string): string {
  return `/${resolveInside(image, (rel) => fs.readlinkSync(image.hostPath(rel)), abs, true)}`;
}
