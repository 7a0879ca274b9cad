// A copy of a directory tree made of hardlinks: every non-directory is link(2)ed, directories
// are made with the same owner, mode, times and xattrs (overlay's opaque marker included, its
// other bookkeeping not). Used by commit of a stopped container, whose upper dir is then
// replaced by an empty one, so the layer ends up the only owner of those inodes. Creating
// inodes is what extraction spends its time on; a link costs a directory entry only.
import fs from 'node:fs';
import path from 'node:path';
import { lgetxattr, llistxattr, lsetxattr } from './native-fs.js';
import { OPAQUE_XATTR, isOverlayXattr } from './whiteout.js';

export function linkTree(src: string, dest: string): { size: number; files: number } {
  let size = 0;
  let files = 0;
  const seen = new Set<number>();
  const dirTimes: Array<[string, fs.Stats]> = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(src, rel))) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const from = path.join(src, child);
      const to = path.join(dest, child);
      const st = fs.lstatSync(from);
      files++;
      if (st.isDirectory()) {
        fs.mkdirSync(to);
        fs.lchownSync(to, st.uid, st.gid);
        fs.chmodSync(to, st.mode & 0o7777);
        for (const xattr of llistxattr(from)) {
          if (isOverlayXattr(xattr) && xattr !== OPAQUE_XATTR) continue;
          const value = lgetxattr(from, xattr);
          if (value !== null) lsetxattr(to, xattr, value);
        }
        dirTimes.push([to, st]);
        walk(child);
      } else {
        fs.linkSync(from, to);
        if (st.isFile() && !seen.has(st.ino)) {
          seen.add(st.ino);
          size += st.size;
        } else if (st.isSymbolicLink()) {
          size += st.size;
        }
      }
    }
  };
  walk('');
  for (const [dir, st] of dirTimes.reverse()) fs.utimesSync(dir, st.atime, st.mtime);
  return { size, files };
}
