import React from 'react';
import { Box, Text } from 'ink';
import type { PaneId } from '../keymap.js';

export interface TabBarProps {
  panes: ReadonlyArray<{ id: PaneId; title: string }>;
  active: PaneId;
  later: readonly string[]; // panes that come with later work, shown as such
  right?: string;
  accent?: string;
}

export function TabBar({ panes, active, later, right, accent }: TabBarProps) {
  return (
    <Box width="100%" justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color={accent}>strata </Text>
        {panes.map((p, i) => (
          <Text key={p.id} inverse={p.id === active} bold={p.id === active}>{` ${i + 1} ${p.title} `}</Text>
        ))}
        {later.map((title) => <Text key={title} dimColor>{` ${title} (not yet) `}</Text>)}
      </Text>
      {right ? <Text dimColor wrap="truncate-start">{right}</Text> : null}
    </Box>
  );
}
