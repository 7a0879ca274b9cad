import React from 'react';
import { Box, Text } from 'ink';
import type { StatusMessage } from '../contexts/status.js';
import type { Theme } from '../theme.js';

export interface KeyHint {
  keys: string;
  help: string;
}

export function StatusBar({ hints, message, theme }: { hints: readonly KeyHint[]; message?: StatusMessage; theme: Theme }) {
  const color = message?.kind === 'error' ? theme.error : message?.kind === 'ok' ? theme.ok : undefined;
  return (
    <Box width="100%">
      {message ? (
        <Text color={color} bold={message.kind === 'error'} wrap="truncate-end">{message.kind === 'error' ? `error: ${message.text}` : message.text}</Text>
      ) : (
        <Text wrap="truncate-end">
          {hints.map((h, i) => (
            <Text key={h.keys + h.help}>{i > 0 ? '  ' : ''}<Text bold color={theme.accent}>{h.keys}</Text> {h.help}</Text>
          ))}
        </Text>
      )}
    </Box>
  );
}
