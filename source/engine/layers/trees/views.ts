// MergedNode trees → the FileNode trees the explorer shows: one layer's own changes, or the
// merged tree up to it with what that layer changed marked, removed entries included.
import { byCodeUnit } from './scan.js';
import type { LayerChanges, MergedNode } from './merge.js';
import type { FileChange, FileNode } from './types.js';

function childRel(rel: string, name: string): string {
  return rel === '' ? name : `${rel}/${name}`;
}

function leafOf(node: MergedNode, rel: string, change: FileChange): FileNode {
  const out: FileNode = { name: node.name, path: `/${rel}`, kind: node.kind, size: node.kind === 'file' ? node.size : 0, mode: node.mode, change, layer: node.layer };
  if (node.link !== undefined) out.link = node.link;
  if (node.device) out.device = node.device;
  return out;
}

/** A whole subtree, every node marked `change`. */
export function subtreeOf(node: MergedNode, rel: string, change: FileChange): FileNode {
  const out = leafOf(node, rel, change);
  if (node.children) {
    out.children = sortedChildren(node).map(([name, child]) => subtreeOf(child, childRel(rel, name), change));
    out.size = sumSizes(out.children);
  }
  return out;
}

/** Everything visible up to the layer; what the layer wrote is added/modified, what it hid is removed. */
export function mergedView(root: MergedNode, changes: LayerChanges): FileNode {
  const build = (node: MergedNode, rel: string): FileNode => {
    const written = changes.written.get(rel);
    const out = leafOf(node, rel, written === 'added' || written === 'modified' ? written : 'unchanged');
    if (node.children) out.children = sortedChildren(node).map(([name, child]) => build(child, childRel(rel, name)));
    return out;
  };
  return finish(build(root, ''), changes);
}

/** Only what the layer holds (with its parent directories) and what it removed. */
export function layerView(root: MergedNode, changes: LayerChanges): FileNode {
  const build = (node: MergedNode, rel: string): FileNode => {
    const written = changes.written.get(rel);
    const out = leafOf(node, rel, written === 'added' || written === 'modified' ? written : 'unchanged');
    if (node.children) {
      out.children = [];
      for (const [name, child] of sortedChildren(node)) {
        const r = childRel(rel, name);
        if (changes.written.has(r)) out.children.push(build(child, r));
      }
    }
    return out;
  };
  const tree = build(root, '');
  // Removed entries whose parent directory the layer does not hold still need their parents shown.
  for (const rel of changes.removed.keys()) ensureParents(tree, rel, root);
  return finish(tree, changes);
}

function ensureParents(tree: FileNode, rel: string, root: MergedNode): void {
  const parts = rel.split('/');
  let at = tree;
  let node: MergedNode | undefined = root;
  let path = '';
  for (const part of parts.slice(0, -1)) {
    path = childRel(path, part);
    node = node?.children?.get(part);
    at.children ??= [];
    let next = at.children.find((c) => c.name === part);
    if (!next) {
      if (!node || node.kind !== 'dir') return;
      next = { ...leafOf(node, path, 'unchanged'), children: [] };
      at.children.push(next);
      at.children.sort((a, b) => byCodeUnit(a.name, b.name));
    }
    at = next;
  }
}

// Puts the removed subtrees under their parents and sums directory sizes.
function finish(tree: FileNode, changes: LayerChanges): FileNode {
  const byPath = new Map<string, FileNode>();
  const index = (n: FileNode) => {
    if (n.kind !== 'dir') return;
    byPath.set(n.path, n);
    for (const c of n.children ?? []) index(c);
  };
  if (changes.removed.size > 0) index(tree);
  for (const [rel, lower] of changes.removed) {
    const cut = rel.lastIndexOf('/');
    const parent = byPath.get(cut === -1 ? '/' : `/${rel.slice(0, cut)}`);
    if (!parent) continue;
    parent.children ??= [];
    parent.children.push(subtreeOf(lower, rel, 'removed'));
    parent.children.sort((a, b) => byCodeUnit(a.name, b.name));
  }
  sumDirSizes(tree);
  return tree;
}

function sumDirSizes(node: FileNode): number {
  if (!node.children || node.change === 'removed') return node.size;
  let size = 0;
  for (const c of node.children) {
    const s = sumDirSizes(c);
    if (c.change !== 'removed') size += s;
  }
  node.size = size;
  return size;
}

function sumSizes(children: FileNode[]): number {
  return children.reduce((sum, c) => sum + c.size, 0);
}

export function sortedChildren(node: MergedNode): Array<[string, MergedNode]> {
  return [...(node.children ?? [])].sort((a, b) => byCodeUnit(a[0], b[0]));
}
