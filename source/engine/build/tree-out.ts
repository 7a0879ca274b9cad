// A source tree (the context, a stage's or image's merged layers) written out as a plain
// directory with its owners, modes, times and links kept: what a RUN bind mount shows, what
// seeds a cache mount, what `build --output` exports. Links are copied as links, never followed.
import fs from 'node:fs';
import path from 'node:path';
import type { SourceFs } from './source-fs.js';

/** Writes rel of fsys at dest, over what is there (a directory there is merged into); rel '' is the whole tree. */
export function copyTreeOut(fsys: SourceFs, rel: string, dest: string): void {
  const st = fsys.stat(rel);
  if (!st) return;
  const there = fs.lstatSync(dest, { throwIfNoEntry: false });
  if (there && !(there.isDirectory() && st.isDirectory())) fs.rmSync(dest, { recursive: true, force: true });
  if (st.isDirectory()) {
    if (!there?.isDirectory()) fs.mkdirSync(dest);
    for (const child of fsys.list(rel)) copyTreeOut(fsys, rel === '' ? child : `${rel}/${child}`, path.join(dest, child));
    fs.lchownSync(dest, st.uid, st.gid);
    fs.chmodSync(dest, st.mode & 0o7777);
    fs.utimesSync(dest, st.atime, st.mtime);
  } else if (st.isFile()) {
    fs.copyFileSync(fsys.hostPath(rel), dest, fs.constants.COPYFILE_FICLONE);
    fs.lchownSync(dest, st.uid, st.gid);
    fs.chmodSync(dest, st.mode & 0o7777);
    fs.utimesSync(dest, st.atime, st.mtime);
  } else if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(fsys.hostPath(rel)), dest);
    fs.lchownSync(dest, st.uid, st.gid);
    fs.lutimesSync(dest, st.atime, st.mtime);
  } // devices, fifos and sockets are skipped, as a context's are
}
