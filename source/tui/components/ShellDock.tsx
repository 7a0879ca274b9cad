// The shell dock: a tab per shell (the active one highlighted) and the active shell's screen,
// drawn cell style by cell style. Renders props only; contexts/shells.tsx owns the shells.
import React from 'react';
import { Box, Text } from 'ink';
import type { TerminalRow } from '../model/terminal-rows.js';

export interface ShellDockProps {
  titles: string[];
  active: number;
  focused: boolean;
  zoomed: boolean;
  scrolledBack: number; // lines above the bottom; 0 when following
  rows: TerminalRow[];
  width: number;
  height: number;
  accent?: string;
  leaveKey: string; // the key that gives the keys back to the lists
  mono: boolean; // NO_COLOR: the shell's colours are dropped, its bold/inverse kept
}

function Row({ row, mono }: { row: TerminalRow; mono: boolean }) {
  if (row.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {row.map((s, i) => (
        <Text key={i} color={mono ? undefined : s.fg} backgroundColor={mono ? undefined : s.bg} bold={s.bold} dimColor={s.dim} italic={s.italic} underline={s.underline} inverse={s.inverse}>{s.text}</Text>
      ))}
    </Text>
  );
}

export function ShellDock({ titles, active, focused, zoomed, scrolledBack, rows, width, height, accent, leaveKey, mono }: ShellDockProps) {
  const hint = focused ? `keys go to the shell · ${leaveKey} back to the lists` : `${leaveKey} to type in the shell`;
  const where = scrolledBack > 0 ? `  ↑${scrolledBack} lines back` : '';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box width={width} justifyContent="space-between">
        <Text wrap="truncate-end">
          <Text bold color={focused ? accent : undefined}>{zoomed ? 'shell (zoomed) ' : 'shell '}</Text>
          {titles.map((t, i) => (
            <Text key={`${i}-${t}`} inverse={i === active} bold={i === active}>{` ${i + 1} ${t} `}</Text>
          ))}
          <Text dimColor>{where}</Text>
        </Text>
        <Text dimColor wrap="truncate-start">{hint}</Text>
      </Box>
      {rows.slice(0, Math.max(0, height - 1)).map((row, i) => <Row key={i} row={row} mono={mono} />)}
    </Box>
  );
}
