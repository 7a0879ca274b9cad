import React from 'react';
import { Box, Text } from 'ink';

export function JsonView({ title, lines, offset, height }: { title: string; lines: readonly string[]; offset: number; height: number }) {
  const shown = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height + 3}>
      <Text bold wrap="truncate-end">{title} <Text dimColor>{`lines ${offset + 1}-${offset + shown.length} of ${lines.length}  ↑↓ PgUp PgDn g G  Esc close`}</Text></Text>
      {shown.map((line, i) => <Text key={offset + i} wrap="truncate-end">{line}</Text>)}
    </Box>
  );
}
