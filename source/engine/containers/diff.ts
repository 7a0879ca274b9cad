// `diff`: what a container changed since the image it was created from, like docker's diff:
// every path its own dirs hold (the upper dir, and the layers of its own commits when a stopped
// container was committed) is compared between the image below and the container's view now —
// gone is D, new is A, present in both is C. Directories that hold changes show as C (or A).
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerChange } from '../api.js';
import { isWhiteout } from '../layers/dir-to-tar.js';
import { MergedLayers } from '../layers/merged-view.js';

/** ownDirs and baseLowers top layer first. */
export function containerChanges(ownDirs: string[], baseLowers: string[]): ContainerChange[] {
  const paths = new Set<string>();
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const child = rel === '' ? name : `${rel}/${name}`;
      paths.add(child);
      const st = fs.lstatSync(path.join(dir, child));
      if (st.isDirectory() && !isWhiteout(st)) walk(dir, child);
    }
  };
  for (const dir of ownDirs) walk(dir, '');
  const now = new MergedLayers([...ownDirs, ...baseLowers]);
  const before = new MergedLayers(baseLowers);
  const out: ContainerChange[] = [];
  for (const rel of [...paths].sort()) {
    const isNow = now.stat(rel) !== undefined;
    const wasBefore = before.stat(rel) !== undefined;
    if (isNow || wasBefore) out.push({ kind: isNow && wasBefore ? 'C' : isNow ? 'A' : 'D', path: `/${rel}` });
  }
  return out;
}
