import React from 'react';
import { Box, Text } from 'ink';
import { commandLogText, type CommandLogEntry } from '../model/messages.js';
import type { Theme } from '../theme.js';

const MARK = { running: '…', ok: '✓', error: '✗' } as const;

export function CommandLog({ entries, height, theme }: { entries: readonly CommandLogEntry[]; height: number; theme: Theme }) {
  const shown = entries.slice(-height);
  const color = (e: CommandLogEntry) => (e.outcome === 'error' ? theme.error : e.outcome === 'ok' ? theme.ok : undefined);
  return (
    <Box flexDirection="column" height={height + 1} width="100%">
      <Text dimColor>── command log ── <Text dimColor>(! every message in full)</Text></Text>
      {shown.length === 0 && <Text dimColor>actions taken here show their strata command</Text>}
      {shown.map((e, i) => (
        <Text key={`${e.at}-${i}`} wrap="truncate-end"><Text color={color(e)}>{MARK[e.outcome]}</Text> {commandLogText(e)}</Text>
      ))}
    </Box>
  );
}
