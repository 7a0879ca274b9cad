// A FileNode tree → the rows the tree view shows: folded directories skipped, change filters
// applied (a directory stays while anything inside it is shown). Plain data, no screen; the
// view renders only the slice of rows on screen.
import type { FileChange, FileNode } from '../../engine/api.js';

export type ChangeFilter = Record<FileChange, boolean>;

export const SHOW_ALL: ChangeFilter = { added: true, modified: true, removed: true, unchanged: true };

export interface TreeRow {
  node: FileNode;
  depth: number;
  folded: boolean; // a directory whose children are hidden
}

export const CHANGE_LETTER: Record<FileChange, string> = { added: 'A', modified: 'M', removed: 'D', unchanged: ' ' };

/** The nodes the filter shows: those whose change is on, and the directories leading to them. */
export function shownNodes(tree: FileNode, filter: ChangeFilter): Set<FileNode> {
  const shown = new Set<FileNode>();
  const visit = (node: FileNode): boolean => {
    let any = filter[node.change] && node.kind !== 'dir';
    for (const child of node.children ?? []) if (visit(child)) any = true;
    // An empty directory counts as itself; one with children only through what it holds.
    if (node.kind === 'dir' && (node.children?.length ?? 0) === 0 && filter[node.change]) any = true;
    if (any) shown.add(node);
    return any;
  };
  visit(tree);
  return shown;
}

/** Rows below the root (not shown itself), depth first. */
export function treeRows(tree: FileNode, folded: ReadonlySet<string>, shown: ReadonlySet<FileNode>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: FileNode, depth: number) => {
    for (const child of node.children ?? []) {
      if (!shown.has(child)) continue;
      const isFolded = child.kind === 'dir' && folded.has(child.path);
      rows.push({ node: child, depth, folded: isFolded });
      if (child.children && !isFolded) walk(child, depth + 1);
    }
  };
  walk(tree, 0);
  return rows;
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

/** ls -l style permission string. */
export function modeString(kind: FileNode['kind'], mode: number): string {
  const type = kind === 'dir' ? 'd' : kind === 'symlink' ? 'l' : kind === 'other' ? '?' : '-';
  const bits = ['r', 'w', 'x'];
  let out = type;
  for (let i = 8; i >= 0; i--) out += mode & (1 << i) ? bits[(8 - i) % 3] : '-';
  return out;
}

/** Names and instructions come from images: control characters (a newline in a RUN, an escape in a file name) must not reach the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]+/g, (run) => (/^[\t\n\r ]+$/.test(run) ? ' ' : '?'));
}
