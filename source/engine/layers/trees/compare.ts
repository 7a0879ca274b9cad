// Image B against image A, like `diff -r` of their merged trees: what B adds, changes and
// removes. Copies from the same layer chain are the same bytes and are not compared further.
import type { MergedNode } from './merge.js';
import { subtreeOf } from './views.js';
import { byCodeUnit } from './scan.js';
import type { FileNode, ImageComparison } from './types.js';

export interface ComparedImage {
  name: string;
  root: MergedNode;
  chainIds: readonly string[]; // by layer index: equal chainIDs mean identical layers below and at it
}

export function compareTrees(base: ComparedImage, other: ComparedImage): ImageComparison {
  const result: ImageComparison = { base: base.name, other: other.name, tree: undefined as unknown as FileNode, added: 0, modified: 0, removed: 0, addedBytes: 0, removedBytes: 0 };
  const count = (node: FileNode) => {
    if (node.change === 'unchanged' || node.change === 'modified' && node.kind === 'dir') {
      node.children?.forEach(count);
      return;
    }
    if (node.change === 'added') { result.added++; result.addedBytes += node.kind === 'dir' ? 0 : node.size; }
    if (node.change === 'removed') { result.removed++; result.removedBytes += node.kind === 'dir' ? 0 : node.size; }
    if (node.change === 'modified') result.modified++;
    node.children?.forEach(count);
  };
  const compare = (a: MergedNode | undefined, b: MergedNode | undefined, rel: string): FileNode => {
    if (!a) return subtreeOf(b!, rel, 'added');
    if (!b) return subtreeOf(a, rel, 'removed');
    if (a.kind !== 'dir' || b.kind !== 'dir') {
      const node = subtreeOf(b, rel, sameContent(base, a, other, b) ? 'unchanged' : 'modified');
      if (b.kind === 'dir') node.children?.forEach((c) => markAll(c, 'added'));
      return node;
    }
    const node = subtreeOf({ ...b, children: undefined }, rel, a.mode === b.mode && a.uid === b.uid && a.gid === b.gid ? 'unchanged' : 'modified');
    const names = new Set([...a.children!.keys(), ...b.children!.keys()]);
    node.children = [...names].sort(byCodeUnit).map((name) => compare(a.children!.get(name), b.children!.get(name), rel === '' ? name : `${rel}/${name}`));
    node.size = node.children.reduce((sum, c) => sum + (c.change === 'removed' ? 0 : c.size), 0);
    return node;
  };
  result.tree = compare(base.root, other.root, '');
  count(result.tree);
  return result;
}

function sameContent(base: ComparedImage, a: MergedNode, other: ComparedImage, b: MergedNode): boolean {
  if (a.layer >= 0 && base.chainIds[a.layer] === other.chainIds[b.layer]) return true;
  return a.kind === b.kind && a.size === b.size && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.mtimeMs === b.mtimeMs && a.link === b.link && a.device?.major === b.device?.major && a.device?.minor === b.device?.minor;
}

function markAll(node: FileNode, change: FileNode['change']): void {
  node.change = change;
  node.children?.forEach((c) => markAll(c, change));
}
