// The tab bar: the panes with their digit keys, the shown one highlighted, the store's root on the right.
import React from 'react';
import { Box, Text } from 'ink';
import type { PaneId } from '../keymap.js';

export interface TabBarProps {
  panes: ReadonlyArray<{ id: PaneId; title: string }>;
  active: PaneId;
  right?: string;
  accent?: string;
}

export function TabBar({ panes, active, right, accent }: TabBarProps) {
  return (
    <Box width="100%" justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color={accent}>strata </Text>
        {panes.map((p, i) => (
          <Text key={p.id} inverse={p.id === active} bold={p.id === active}>{` ${i + 1} ${p.title} `}</Text>
        ))}
      </Text>
      {right ? <Text dimColor wrap="truncate-start">{right}</Text> : null}
    </Box>
  );
}
