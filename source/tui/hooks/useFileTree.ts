// The tree view's state: folded directories, change filters, the path pattern (dive's filter:
// typed live, only matching paths and their parents shown), the sort and the cursor, over the
// rows of whatever tree is shown. The cursor is held as a path so it stays on the same file when
// the tree is reloaded (another layer, the other view, a live refresh).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FileChange, FileNode } from '../../engine/api.js';
import { useOverlay } from '../contexts/overlay.js';
import { allDirectories, parentPath, SHOW_ALL, shownNodes, treeRows, type ChangeFilter, type TreeRow, type TreeSort } from '../model/file-tree-rows.js';
import { patternMatcher } from '../model/pattern-search.js';
import type { ActionHandlers } from './useKeymap.js';
import { useListCursor } from './useListCursor.js';

export interface FileTreeState {
  rows: TreeRow[];
  cursor: number;
  start: number;
  selected?: TreeRow;
  filter: ChangeFilter;
  pattern: string; // '' for none
  patternError?: string; // the pattern typed is not a valid expression (nothing is filtered by it)
  sort: TreeSort;
  clearPattern(): void;
  handlers: ActionHandlers;
}

const NOTHING_FOLDED: ReadonlySet<string> = new Set();

export function useFileTree(tree: FileNode | undefined, height: number): FileTreeState {
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState<ChangeFilter>(SHOW_ALL);
  const [pattern, setPattern] = useState('');
  const [sort, setSort] = useState<TreeSort>('name');
  const overlay = useOverlay();
  const patternRef = useRef(pattern);
  patternRef.current = pattern;
  const matched = useMemo(() => patternMatcher(pattern), [pattern]);
  const shown = useMemo(() => (tree ? shownNodes(tree, filter, matched.matcher) : new Set<FileNode>()), [tree, filter, matched]);
  // While a pattern filters, every directory is open: the matches are what one is looking for.
  const rows = useMemo(() => (tree ? treeRows(tree, matched.matcher ? NOTHING_FOLDED : folded, shown, sort) : []), [tree, folded, shown, sort, matched]);
  const cursor = useListCursor(rows, rowPath, height);
  const selected = rows[cursor.index];

  const setFold = useCallback((p: string, fold: boolean) => setFolded((set) => {
    if (set.has(p) === fold) return set;
    const next = new Set(set);
    if (fold) next.add(p); else next.delete(p);
    return next;
  }), []);
  const toggle = (change: FileChange) => () => setFilter((f) => ({ ...f, [change]: !f[change] }));

  const handlers: ActionHandlers = {
    ...cursor.handlers,
    fold: () => { if (selected?.node.kind === 'dir') setFold(selected.node.path, !selected.folded); },
    expand: () => { if (selected?.node.kind === 'dir') setFold(selected.node.path, false); },
    collapse: () => {
      if (!selected) return;
      if (selected.node.kind === 'dir' && !selected.folded && (selected.node.children?.length ?? 0) > 0) setFold(selected.node.path, true);
      else if (selected.depth > 0) cursor.select(parentPath(selected.node.path));
    },
    'fold-all': () => {
      if (!tree) return;
      setFolded((set) => (set.size > 0 ? new Set() : allDirectories(tree)));
    },
    'toggle-added': toggle('added'),
    'toggle-modified': toggle('modified'),
    'toggle-removed': toggle('removed'),
    'toggle-unchanged': toggle('unchanged'),
    'tree-filter': () => {
      const before = patternRef.current;
      overlay.open({ kind: 'prompt', label: 'show paths matching /', initial: before, onChange: setPattern, onSubmit: setPattern, onCancel: () => setPattern(before) });
    },
    sort: () => setSort((s) => (s === 'name' ? 'size' : 'name')),
  };
  return { rows, cursor: cursor.index, start: cursor.start, selected, filter, pattern, patternError: matched.error, sort, clearPattern: () => setPattern(''), handlers };
}

function rowPath(row: TreeRow): string {
  return row.node.path;
}
