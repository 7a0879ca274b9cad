// Every key of the current pane, in as many columns as the width allows, so it fits an
// 80-column terminal as well as a wide one.
import React from 'react';
import { Box, Text } from 'ink';
import { keyLabel, type Binding } from '../keymap.js';

export interface HelpSection {
  title: string;
  bindings: readonly Binding[];
}

type HelpLine = { title: string } | { keys: string; help: string } | { blank: true };

export function helpLines(sections: readonly HelpSection[]): HelpLine[] {
  return sections.flatMap((s, i) => [
    ...(i > 0 ? [{ blank: true as const }] : []),
    { title: s.title },
    ...s.bindings.map((b) => ({ keys: b.keys.map(keyLabel).join(' '), help: b.help })),
  ]);
}

export function HelpOverlay({ sections, width = 80, accent }: { sections: readonly HelpSection[]; width?: number; accent?: string }) {
  const lines = helpLines(sections);
  const keyWidth = Math.max(...lines.map((l) => ('keys' in l ? l.keys.length : 0))) + 2;
  const helpWidth = Math.max(...lines.map((l) => ('help' in l ? l.help.length : 'title' in l ? l.title.length : 0)));
  const columnWidth = keyWidth + helpWidth;
  const gap = 3;
  const count = Math.max(1, Math.floor((width - 4 + gap) / (columnWidth + gap)));
  const perColumn = Math.ceil(lines.length / count);
  const columns = Array.from({ length: count }, (_, i) => lines.slice(i * perColumn, (i + 1) * perColumn));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} overflow="hidden" flexShrink={1}>
      <Text bold>Keys <Text dimColor>(Esc or ? to close)</Text></Text>
      <Box flexDirection="row" columnGap={gap} overflow="hidden">
        {columns.map((column, ci) => (
          <Box key={ci} flexDirection="column" flexShrink={0} width={columnWidth}>
            {column.map((line, li) => ('title' in line ? (
              <Text key={li} bold color={accent}>{line.title}</Text>
            ) : 'keys' in line ? (
              <Text key={li} wrap="truncate-end"><Text bold>{line.keys.padEnd(keyWidth)}</Text>{line.help}</Text>
            ) : (
              <Text key={li}> </Text>
            )))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
