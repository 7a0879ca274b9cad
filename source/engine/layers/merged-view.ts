// An image's merged file tree read straight from its layer dirs (top layer first), as overlayfs
// would show it — whiteouts and opaque directories honoured — without mounting anything. COPY
// --from reads through it and `diff` asks it what existed below a container.
import fs from 'node:fs';
import path from 'node:path';
import { isOpaque, isWhiteout } from './dir-to-tar.js';

export class MergedLayers {
  constructor(private readonly layers: string[]) {}

  private find(rel: string): { layer: string; stat: fs.Stats } | undefined {
    if (rel === '') return this.layers.length ? { layer: this.layers[this.layers.length - 1], stat: fs.lstatSync(this.layers[this.layers.length - 1]) } : undefined;
    const parts = rel.split('/');
    for (const layer of this.layers) {
      // the parents first, each a real directory of this layer: a symlink among them must never
      // be followed on the host (a link to /etc in a lower layer would read the host's /etc)
      const dirs: string[] = []; // this layer's parents of rel that it has
      let complete = true;
      for (const part of parts.slice(0, -1)) {
        const p = path.join(dirs.at(-1) ?? layer, part);
        const ps = fs.lstatSync(p, { throwIfNoEntry: false });
        if (!ps) { complete = false; break; }
        if (!ps.isDirectory()) return undefined;
        dirs.push(p);
      }
      const st = complete ? fs.lstatSync(path.join(layer, rel), { throwIfNoEntry: false }) : undefined;
      if (st) return isWhiteout(st) ? undefined : { layer, stat: st };
      if (dirs.some((d) => isOpaque(d))) return undefined; // nothing below shows through
    }
    return undefined;
  }

  stat(rel: string): fs.Stats | undefined {
    return this.find(rel)?.stat;
  }

  hostPath(rel: string): string {
    const found = this.find(rel);
    if (!found) throw new Error(`${rel} is not in the image`);
    return path.join(found.layer, rel);
  }

  list(rel: string): string[] {
    const names = new Set<string>();
    const hidden = new Set<string>();
    for (const layer of this.layers) {
      const dir = path.join(layer, rel);
      const st = fs.lstatSync(dir, { throwIfNoEntry: false });
      if (!st) continue;
      if (!st.isDirectory()) break;
      for (const name of fs.readdirSync(dir)) {
        if (names.has(name) || hidden.has(name)) continue;
        if (isWhiteout(fs.lstatSync(path.join(dir, name)))) hidden.add(name);
        else names.add(name);
      }
      if (isOpaque(dir)) break;
    }
    return [...names].sort();
  }
}

