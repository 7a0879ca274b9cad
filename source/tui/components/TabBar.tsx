// The tab bar: the panes with their digit keys, the shown one highlighted, the store's root on the
// right in what room the tabs leave (model/tab-bar.ts), never over them.
import React from 'react';
import { Box, Text } from 'ink';
import type { PaneId } from '../keymap.js';
import { BRAND, tabBarLayout } from '../model/tab-bar.js';

export interface TabBarProps {
  panes: ReadonlyArray<{ id: PaneId; title: string }>;
  active: PaneId;
  width: number;
  right?: string;
  home?: string;
  accent?: string;
}

export function TabBar({ panes, active, width, right, home, accent }: TabBarProps) {
  const layout = tabBarLayout(panes.map((p) => p.title), panes.findIndex((p) => p.id === active), width, right ?? '', home);
  return (
    <Box width={width} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color={accent}>{BRAND}</Text>
        {panes.map((p, i) => (
          <Text key={p.id} inverse={p.id === active} bold={p.id === active}>{layout.labels[i]}</Text>
        ))}
      </Text>
      {layout.path ? <Text dimColor>{layout.path}</Text> : null}
    </Box>
  );
}
