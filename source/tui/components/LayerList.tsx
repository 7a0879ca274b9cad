// The layers of an image, bottom first: index, size, the instruction that made it; the live
// upper layer of a container marked as such. Only the rows on screen are rendered.
import React from 'react';
import { Box, Text } from 'ink';
import type { LayerInfo } from '../../engine/api.js';
import { fit, formatBytes } from '../model/format.js';
import { windowStart } from '../model/window.js';
import { printable } from '../model/file-tree-rows.js';

export interface LayerListProps {
  layers: readonly LayerInfo[];
  cursor: number;
  height: number;
  width: number;
  focused: boolean;
  accent?: string;
}

export function layerRowText(layer: LayerInfo, width: number): string {
  const what = printable(layer.live ? `${layer.instruction} ●` : layer.instruction || '(no history)');
  return fit(`${String(layer.index).padStart(2)} ${fit(formatBytes(layer.size), 7, 'right')}  ${what}`, width);
}

export function LayerList({ layers, cursor, height, width, focused, accent }: LayerListProps) {
  const start = windowStart(cursor, layers.length, height, 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {layers.slice(start, start + height).map((layer) => (
        <Text key={layer.id + layer.index} inverse={layer.index === cursor && focused} underline={layer.index === cursor && !focused} color={layer.live ? accent : undefined} wrap="truncate-end">
          {layerRowText(layer, width)}
        </Text>
      ))}
    </Box>
  );
}
