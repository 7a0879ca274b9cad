// One line per layer of a pull: its short digest, what is happening to it, a bar and the bytes.
import React from 'react';
import { Box, Text } from 'ink';
import type { LayerProgress } from '../hooks/usePullProgress.js';
import { formatBytes } from '../model/format.js';

export function progressBar(current: number, total: number, width: number): string {
  const filled = total > 0 ? Math.round((Math.min(current, total) / total) * width) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function ProgressBars({ title, layers, width, accent }: { title: string; layers: readonly LayerProgress[]; width: number; accent?: string }) {
  const barWidth = Math.max(10, Math.min(40, width - 60));
  return (
    <Box flexDirection="column">
      <Text bold color={accent}>{title}</Text>
      {layers.map((l) => (
        <Text key={l.id} wrap="truncate-end">
          {`${l.id.padEnd(12)} ${l.action.padEnd(18)} ${progressBar(l.current, l.total, barWidth)} ${formatBytes(l.current)}/${formatBytes(l.total)}`}
        </Text>
      ))}
    </Box>
  );
}
