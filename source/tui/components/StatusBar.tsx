// The status bar: the message (an error wrapped whole, up to a few lines) or the key hints that fit.
import React from 'react';
import { Box, Text } from 'ink';
import { fitHints, type KeyHint } from '../model/key-hints.js';
import { statusLines, type StatusMessage } from '../model/messages.js';
import type { Theme } from '../theme.js';

export type { KeyHint } from '../model/key-hints.js';

export function StatusBar({ hints, message, width, theme }: { hints: readonly KeyHint[]; message?: StatusMessage; width: number; theme: Theme }) {
  const color = message?.kind === 'error' ? theme.error : message?.kind === 'ok' ? theme.ok : undefined;
  return (
    <Box width={width} flexDirection="column">
      {message ? (
        statusLines(message, width).map((line, i) => <Text key={i} color={color} bold={message.kind === 'error'} wrap="truncate-end">{line}</Text>)
      ) : (
        <Text wrap="truncate-end">
          {fitHints(hints, width).map((h, i) => (
            <Text key={h.keys + h.help}>{i > 0 ? '  ' : ''}<Text bold color={theme.accent}>{h.keys}</Text> {h.help}</Text>
          ))}
        </Text>
      )}
    </Box>
  );
}
