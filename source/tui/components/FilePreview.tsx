// A file's content at a layer: text as lines, binary as a hex dump, a symlink as its target.
import React from 'react';
import { Box, Text } from 'ink';
import { fit, formatBytes } from '../model/format.js';

export interface FilePreviewProps {
  title: string; // '/etc/passwd at layer 2'
  lines: readonly string[];
  scroll: number;
  height: number;
  width: number;
  size: number;
  binary: boolean;
  truncated: boolean;
  accent?: string;
}

export function FilePreview({ title, lines, scroll, height, width, size, binary, truncated, accent }: FilePreviewProps) {
  const bodyHeight = Math.max(1, height - 1);
  const head = `${title}  ${formatBytes(size)}${binary ? '  (hex)' : ''}${truncated ? '  (first part only)' : ''}  ${lines.length === 0 ? 'empty' : `line ${Math.min(scroll + 1, lines.length)}/${lines.length}`}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={accent} wrap="truncate-end">{fit(head, width)}</Text>
      {lines.slice(scroll, scroll + bodyHeight).map((line, i) => <Text key={scroll + i} wrap="truncate-end">{fit(line, width)}</Text>)}
    </Box>
  );
}
