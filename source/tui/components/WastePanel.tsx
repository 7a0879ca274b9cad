// Wasted space of an image: the efficiency score, the bytes wasted, and the biggest wasted
// files with the layers (and instructions) that wrote each copy and what squashing would save.
import React from 'react';
import { Box, Text } from 'ink';
import type { LayerAnalysis, WastedFile } from '../../engine/api.js';
import { fit, formatBytes } from '../model/format.js';
import { windowStart } from '../model/window.js';
import { printable } from '../model/file-tree-rows.js';

export function efficiencyLine(a: LayerAnalysis): string {
  return `efficiency ${(a.efficiency * 100).toFixed(1)}%  wasted ${formatBytes(a.wastedBytes)} of ${formatBytes(a.totalBytes)}`;
}

export function wastedRowText(w: WastedFile, width: number): string {
  const copies = w.copies.map((c) => `L${c.layer} ${formatBytes(c.size)}`).join(', ');
  const removed = w.removedIn === undefined ? '' : `; removed in L${w.removedIn}`;
  return fit(`${fit(formatBytes(w.wasted), 7, 'right')} ${fit(formatBytes(w.saveable), 7, 'right')}  ${printable(w.path)}  (${copies}${removed})`, width);
}

export interface WastePanelProps {
  analysis: LayerAnalysis;
  cursor: number;
  height: number;
  width: number;
  accent?: string;
}

/** The full list: one line per file, and for the selected file each copy's instruction. */
export function WastePanel({ analysis, cursor, height, width, accent }: WastePanelProps) {
  const selected = analysis.wasted[cursor];
  const detail = selected ? selected.copies.map((c) => `  L${c.layer} ${formatBytes(c.size)}: ${printable(c.instruction) || '(no history)'}`) : [];
  const listHeight = Math.max(1, height - 2 - detail.length);
  const start = windowStart(cursor, analysis.wasted.length, listHeight, 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent} wrap="truncate-end">{fit(`${efficiencyLine(analysis)}   WASTED SAVEABLE  PATH`, width)}</Text>
      {analysis.wasted.length === 0 && <Text dimColor>no wasted space: every file is stored once</Text>}
      {analysis.wasted.slice(start, start + listHeight).map((w, i) => (
        <Text key={w.path} inverse={start + i === cursor} wrap="truncate-end">{wastedRowText(w, width)}</Text>
      ))}
      {detail.map((line, i) => <Text key={i} dimColor wrap="truncate-end">{fit(line, width)}</Text>)}
    </Box>
  );
}
