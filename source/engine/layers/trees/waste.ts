// Wasted space, as dive users know it, over every copy of every regular file in every layer:
// a path written by several layers wastes all its copies but the smallest; a path no longer
// visible at the top (whited out, hidden by an opaque directory, under a removed directory,
// replaced by another kind) wastes every copy. Efficiency is what is left over what was stored.
import { lookup, type MergedNode } from './merge.js';
import type { LayerScan } from './scan.js';
import type { WastedFile } from './types.js';

export interface WasteSummary {
  totalBytes: number;
  wastedBytes: number;
  efficiency: number;
  wasted: WastedFile[]; // biggest first, at most `limit`
}

interface Copy { layer: number; size: number }

export function measureWaste(scans: readonly LayerScan[], roots: readonly MergedNode[], instructions: readonly string[], limit = 200): WasteSummary {
  const copies = new Map<string, Copy[]>();
  let totalBytes = 0;
  scans.forEach((scan, layer) => {
    for (const e of scan.entries) {
      if (e.kind !== 'file') continue;
      totalBytes += e.size;
      const list = copies.get(e.path);
      if (list) list.push({ layer, size: e.size });
      else copies.set(e.path, [{ layer, size: e.size }]);
    }
  });

  const top = roots[roots.length - 1];
  let wastedBytes = 0;
  const wasted: WastedFile[] = [];
  for (const [rel, list] of copies) {
    const last = list[list.length - 1];
    const visible = top ? lookup(top, rel) : undefined;
    const kept = visible?.kind === 'file' && visible.layer === last.layer ? last : undefined;
    if (kept && list.length === 1) continue;
    const total = list.reduce((sum, c) => sum + c.size, 0);
    const smallest = list.reduce((min, c) => Math.min(min, c.size), Infinity);
    const entry: WastedFile = {
      path: `/${rel}`,
      copies: list.map((c) => ({ layer: c.layer, instruction: instructions[c.layer] ?? '', size: c.size })),
      wasted: kept ? total - smallest : total,
      saveable: kept ? total - kept.size : total,
    };
    if (!kept) entry.removedIn = removedIn(roots, rel, last.layer);
    wastedBytes += entry.wasted;
    if (entry.wasted > 0 || entry.saveable > 0) wasted.push(entry);
  }
  wasted.sort((a, b) => b.wasted - a.wasted || b.saveable - a.saveable || (a.path < b.path ? -1 : 1));
  return {
    totalBytes,
    wastedBytes,
    efficiency: totalBytes === 0 ? 1 : (totalBytes - wastedBytes) / totalBytes,
    wasted: wasted.slice(0, limit),
  };
}

/** The first layer above `written` where that copy is no longer what is visible. */
function removedIn(roots: readonly MergedNode[], rel: string, written: number): number | undefined {
  for (let layer = written + 1; layer < roots.length; layer++) {
    const node = lookup(roots[layer], rel);
    if (node?.kind !== 'file' || node.layer !== written) return layer;
  }
  return undefined;
}
