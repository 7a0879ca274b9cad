// A file tree, one row per file, only the rows on screen rendered: a 20k-file tree costs what
// a screenful does. Each row: change letter (A/M/D, so it reads without colour), mode, size,
// the name indented by depth with ▸/▾ for folded/unfolded directories.
import React from 'react';
import { Box, Text } from 'ink';
import type { FileChange } from '../../engine/api.js';
import { fit, formatBytes } from '../model/format.js';
import { CHANGE_LETTER, insideText, modeString, printable, rowChange, sizeText, type TreeRow } from '../model/file-tree-rows.js';
import type { Theme } from '../theme.js';

export interface FileTreeViewProps {
  rows: readonly TreeRow[];
  cursor: number;
  start: number;
  height: number;
  width: number;
  focused: boolean;
  theme: Theme;
  empty?: string;
}

export function changeColor(theme: Theme, change: FileChange): string | undefined {
  if (!theme.color) return undefined;
  return change === 'added' ? theme.ok : change === 'modified' ? theme.warning : change === 'removed' ? theme.error : undefined;
}

export function treeRowText(row: TreeRow, width: number): string {
  const { node } = row;
  const showMode = width >= 60;
  const icon = node.kind === 'dir' ? (row.folded ? '▸ ' : '▾ ') : '  ';
  const inside = insideText(row.inside);
  const name = printable(node.name + (node.kind === 'symlink' ? ` → ${node.link ?? ''}` : '')) + (inside ? `  (${inside})` : '');
  const head = `${CHANGE_LETTER[rowChange(row)]} ${showMode ? `${modeString(node.kind, node.mode)} ` : ''}${fit(sizeText(node, formatBytes), 7, 'right')}  `;
  return fit(`${head}${'  '.repeat(row.depth)}${icon}${name}`, width);
}

export function FileTreeView({ rows, cursor, start, height, width, focused, theme, empty }: FileTreeViewProps) {
  const visible = rows.slice(start, start + Math.max(0, height));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.length === 0 && <Text dimColor>{empty ?? 'nothing to show'}</Text>}
      {visible.map((row, i) => (
        <Text key={row.node.path + row.node.change} color={changeColor(theme, rowChange(row))} inverse={start + i === cursor && focused} underline={start + i === cursor && !focused} wrap="truncate-end">
          {treeRowText(row, width)}
        </Text>
      ))}
    </Box>
  );
}
