// The merged tree an overlay mount would show, layer after layer. Each application copies only
// the nodes on the paths it touches (copy on write), so the tree below stays intact: every
// layer's merged tree is kept for the price of its changes, and a container's live layer is
// applied on top of its image's cached trees without copying them.
import type { LayerScan, ScanEntry } from './scan.js';
import type { DeviceNumbers, FileKind } from './types.js';

export interface MergedNode {
  name: string;
  kind: FileKind;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  link?: string;
  device?: DeviceNumbers;
  layer: number; // the layer whose copy is visible
  gen: number; // the application that created this copy; only it may change the node in place
  children?: Map<string, MergedNode>;
}

export type WrittenChange = 'added' | 'modified' | 'unchanged';

export interface LayerChanges {
  written: Map<string, WrittenChange>; // every path the layer holds (relative, 'etc/passwd')
  removed: Map<string, MergedNode>; // the lower copies it hid, each the top of what went (a subtree for a directory)
}

export interface MergeStep {
  root: MergedNode;
  changes: LayerChanges;
}

let generations = 0;

export function emptyRoot(): MergedNode {
  return { name: '', kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtimeMs: 0, layer: -1, gen: ++generations, children: new Map() };
}

export function applyLayer(below: MergedNode, scan: LayerScan, layer: number): MergeStep {
  const gen = ++generations;
  const root = copyOf(below, gen);
  const owned = new Map<string, MergedNode>([['', root]]);
  const written = new Map<string, WrittenChange>();
  const removed = new Map<string, MergedNode>();

  const ownedDir = (rel: string): MergedNode | undefined => {
    const known = owned.get(rel);
    if (known) return known;
    const cut = rel.lastIndexOf('/');
    const parent = ownedDir(cut === -1 ? '' : rel.slice(0, cut));
    const child = parent?.children?.get(cut === -1 ? rel : rel.slice(cut + 1));
    if (!parent || child?.kind !== 'dir') return undefined;
    const mine = copyOf(child, gen);
    parent.children!.set(mine.name, mine);
    owned.set(rel, mine);
    return mine;
  };
  const removeChildren = (dir: MergedNode, rel: string) => {
    for (const [name, child] of dir.children ?? []) removed.set(`${rel}/${name}`, child);
  };

  for (const entry of scan.entries) {
    const cut = entry.path.lastIndexOf('/');
    const name = cut === -1 ? entry.path : entry.path.slice(cut + 1);
    const parent = ownedDir(cut === -1 ? '' : entry.path.slice(0, cut));
    if (!parent) continue; // a parent this layer replaced by a non-directory: nothing of it is visible
    const existing = parent.children!.get(name);
    if (entry.kind === 'whiteout') {
      if (existing) {
        removed.set(entry.path, existing);
        parent.children!.delete(name);
      }
      continue;
    }
    const node = nodeOf(entry, name, layer, gen);
    if (entry.kind === 'dir') {
      if (existing?.kind === 'dir' && !entry.opaque) {
        node.children = new Map(existing.children);
        written.set(entry.path, sameMeta(existing, node) ? 'unchanged' : 'modified');
      } else {
        node.children = new Map();
        if (existing?.kind === 'dir') removeChildren(existing, entry.path);
        written.set(entry.path, existing ? 'modified' : 'added');
      }
      owned.set(entry.path, node);
    } else {
      if (existing?.kind === 'dir') removeChildren(existing, entry.path);
      written.set(entry.path, existing ? 'modified' : 'added');
    }
    parent.children!.set(name, node);
  }
  settleReadded(written, removed);
  return { root, changes: { written, removed } };
}

// An opaque directory first hides everything below it; what the same layer writes back into
// it was modified, not added, and only what it did not write back was removed.
function settleReadded(written: Map<string, WrittenChange>, removed: Map<string, MergedNode>): void {
  const queue = [...removed.keys()].filter((p) => written.has(p));
  while (queue.length > 0) {
    const rel = queue.pop()!;
    const lower = removed.get(rel)!;
    removed.delete(rel);
    if (written.get(rel) === 'added') written.set(rel, 'modified');
    for (const [name, child] of lower.children ?? []) {
      const childRel = `${rel}/${name}`;
      removed.set(childRel, child);
      if (written.has(childRel)) queue.push(childRel);
    }
  }
}

function copyOf(node: MergedNode, gen: number): MergedNode {
  if (node.gen === gen) return node;
  return { ...node, gen, children: node.children ? new Map(node.children) : undefined };
}

function nodeOf(e: ScanEntry, name: string, layer: number, gen: number): MergedNode {
  const kind = e.kind === 'whiteout' ? 'other' : e.kind;
  const node: MergedNode = { name, kind, size: e.size, mode: e.mode, uid: e.uid, gid: e.gid, mtimeMs: e.mtimeMs, layer, gen };
  if (e.link !== undefined) node.link = e.link;
  if (e.device) node.device = e.device;
  return node;
}

function sameMeta(a: MergedNode, b: MergedNode): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;
}

/** The node at a relative path ('' is the root), or undefined when nothing is visible there. */
export function lookup(root: MergedNode, rel: string): MergedNode | undefined {
  if (rel === '') return root;
  let node: MergedNode | undefined = root;
  for (const part of rel.split('/')) {
    node = node.children?.get(part);
    if (!node) return undefined;
  }
  return node;
}

/** Every node below (not including) `node`, with its relative path. */
export function* descendants(node: MergedNode, rel: string): Generator<[string, MergedNode]> {
  for (const [name, child] of node.children ?? []) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    yield [childRel, child];
    if (child.children) yield* descendants(child, childRel);
  }
}
