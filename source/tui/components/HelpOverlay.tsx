// Every key of the current pane, in as many columns as the width allows and, when even that
// is too tall for the terminal, in pages — so it fits an 80×24 terminal as well as a big one.
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

const MAX_COLUMN = 64;
const GAP = 3;
const CHROME_ROWS = 3; // border and title

/** Lines per column, columns per page and page count for a size. */
export function helpLayout(lineCount: number, columnWidth: number, width: number, height: number): { perColumn: number; columns: number; pages: number } {
  const columns = Math.max(1, Math.floor((width - 4 + GAP) / (columnWidth + GAP)));
  const rows = Math.max(1, height - CHROME_ROWS);
  const perColumn = Math.min(rows, Math.max(1, Math.ceil(lineCount / columns)));
  return { perColumn, columns, pages: Math.max(1, Math.ceil(lineCount / (perColumn * columns))) };
}

export function HelpOverlay({ sections, width = 80, height = 40, page = 0, accent }: { sections: readonly HelpSection[]; width?: number; height?: number; page?: number; accent?: string }) {
  const lines = helpLines(sections);
  const keyWidth = Math.max(...lines.map((l) => ('keys' in l ? l.keys.length : 0))) + 2;
  const helpWidth = Math.max(...lines.map((l) => ('help' in l ? l.help.length : 'title' in l ? l.title.length : 0)));
  const columnWidth = Math.min(MAX_COLUMN, keyWidth + helpWidth);
  const layout = helpLayout(lines.length, columnWidth, width, height);
  const shownPage = Math.min(page, layout.pages - 1);
  const first = shownPage * layout.perColumn * layout.columns;
  const columns = Array.from({ length: layout.columns }, (_, i) => lines.slice(first + i * layout.perColumn, first + (i + 1) * layout.perColumn)).filter((c) => c.length > 0);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} overflow="hidden" flexShrink={1}>
      <Text bold>Keys <Text dimColor>{layout.pages > 1 ? `(page ${shownPage + 1}/${layout.pages}: PgDn/PgUp; Esc or ? to close)` : '(Esc or ? to close)'}</Text></Text>
      <Box flexDirection="row" columnGap={GAP} overflow="hidden">
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
