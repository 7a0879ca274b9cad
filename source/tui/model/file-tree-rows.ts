// A FileNode tree → the rows the tree view shows: folded directories skipped (each with a
// summary of what changed inside), change filters and a path pattern applied (a directory stays
// while anything inside it is shown, as dive's filter), by name or biggest first. Plain data, no
// screen; the view renders only the slice of rows on screen.
import type { FileChange, FileNode } from '../../engine/api.js';
import type { TextMatcher } from './text-search.js';

export type ChangeFilter = Record<FileChange, boolean>;

export const SHOW_ALL: ChangeFilter = { added: true, modified: true, removed: true, unchanged: true };

export type TreeSort = 'name' | 'size';

export type ChangeCounts = Record<Exclude<FileChange, 'unchanged'>, number>;

export interface TreeRow {
  node: FileNode;
  depth: number;
  folded: boolean; // a directory whose children are hidden
  inside?: ChangeCounts; // a folded directory: what changed below it (among what is shown)
}

export const CHANGE_LETTER: Record<FileChange, string> = { added: 'A', modified: 'M', removed: 'D', unchanged: ' ' };

/** The nodes the filters show: those whose change is on and whose path matches, and the directories leading to them. */
export function shownNodes(tree: FileNode, filter: ChangeFilter, pattern?: TextMatcher): Set<FileNode> {
  const shown = new Set<FileNode>();
  const visit = (node: FileNode): boolean => {
    const wanted = filter[node.change] && (!pattern || pattern.test(node.path));
    let any = wanted && node.kind !== 'dir';
    for (const child of node.children ?? []) if (visit(child)) any = true;
    // An empty directory counts as itself; one with children only through what it holds.
    if (node.kind === 'dir' && (node.children?.length ?? 0) === 0 && wanted) any = true;
    if (any) shown.add(node);
    return any;
  };
  visit(tree);
  return shown;
}

/** What changed below a directory, among the nodes shown: entries (not the directories holding them) added, modified, removed. */
export function changesInside(dir: FileNode, shown: ReadonlySet<FileNode>): ChangeCounts {
  const counts: ChangeCounts = { added: 0, modified: 0, removed: 0 };
  const walk = (node: FileNode) => {
    for (const child of node.children ?? []) {
      if (!shown.has(child)) continue;
      const leaf = child.kind !== 'dir' || (child.children?.length ?? 0) === 0;
      if (leaf && child.change !== 'unchanged') counts[child.change]++;
      walk(child);
    }
  };
  walk(dir);
  return counts;
}

/** The change letter a row shows: its own; for a folded directory unchanged itself, what is inside (M when mixed). */
export function rowChange(row: TreeRow): FileChange {
  if (row.node.change !== 'unchanged' || !row.inside) return row.node.change;
  const kinds = (['added', 'modified', 'removed'] as const).filter((c) => row.inside![c] > 0);
  return kinds.length === 0 ? 'unchanged' : kinds.length === 1 ? kinds[0] : 'modified';
}

const bySizeThenName = (a: FileNode, b: FileNode) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Rows below the root (not shown itself), depth first; siblings by name (as the tree holds them) or biggest first. */
export function treeRows(tree: FileNode, folded: ReadonlySet<string>, shown: ReadonlySet<FileNode>, sort: TreeSort = 'name'): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: FileNode, depth: number) => {
    const children = sort === 'size' && node.children ? [...node.children].sort(bySizeThenName) : node.children ?? [];
    for (const child of children) {
      if (!shown.has(child)) continue;
      const isFolded = child.kind === 'dir' && folded.has(child.path);
      rows.push({ node: child, depth, folded: isFolded, ...(isFolded ? { inside: changesInside(child, shown) } : {}) });
      if (child.children && !isFolded) walk(child, depth + 1);
    }
  };
  walk(tree, 0);
  return rows;
}

/** The short summary after a folded directory's name: "A3 M1 D2" (nothing when nothing changed). */
export function insideText(inside: ChangeCounts | undefined): string {
  if (!inside) return '';
  return (['added', 'modified', 'removed'] as const).filter((c) => inside[c] > 0).map((c) => `${CHANGE_LETTER[c]}${inside[c]}`).join(' ');
}

/** Every directory path of the tree: what "fold all" folds. */
export function allDirectories(tree: FileNode): Set<string> {
  const dirs = new Set<string>();
  const walk = (node: FileNode) => {
    for (const child of node.children ?? []) {
      if (child.kind !== 'dir') continue;
      dirs.add(child.path);
      walk(child);
    }
  };
  walk(tree);
  return dirs;
}

export function parentPath(p: string): string {
  const cut = p.lastIndexOf('/');
  return cut <= 0 ? '/' : p.slice(0, cut);
}

const TYPE_LETTER: Record<FileNode['kind'], string> = { file: '-', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's', other: '?' };

/** ls -l style mode string: type letter, then rwx with setuid/setgid/sticky as s/S, s/S, t/T. */
export function modeString(kind: FileNode['kind'], mode: number): string {
  const bits = ['r', 'w', 'x'];
  let out = TYPE_LETTER[kind];
  for (let i = 8; i >= 0; i--) out += mode & (1 << i) ? bits[(8 - i) % 3] : '-';
  const special = (at: number, bit: number, on: string) => {
    if (!(mode & bit)) return;
    out = out.slice(0, at) + (out[at] === 'x' ? on : on.toUpperCase()) + out.slice(at + 1);
  };
  special(3, 0o4000, 's');
  special(6, 0o2000, 's');
  special(9, 0o1000, 't');
  return out;
}

/** What the size column says: a device's "major, minor" as ls -l, else the size. */
export function sizeText(node: Pick<FileNode, 'kind' | 'size' | 'device'>, formatSize: (bytes: number) => string): string {
  if ((node.kind === 'char' || node.kind === 'block') && node.device) return `${node.device.major}, ${node.device.minor}`;
  return node.kind === 'fifo' || node.kind === 'socket' ? '' : formatSize(node.size);
}

/** Names and instructions come from images: control characters (a newline in a RUN, an escape in a file name) must not reach the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]+/g, (run) => (/^[\t\n\r ]+$/.test(run) ? ' ' : '?'));
}
