import React from 'react';
import { Box, Text } from 'ink';
import { TextField } from './TextField.js';

export function PromptLine({ label, value, cursor, color }: { label: string; value: string; cursor: number; color?: string }) {
  return (
    <Box width="100%">
      <Text bold color={color}>{label}</Text>
      <TextField value={value} cursor={cursor} />
      <Text dimColor>   ⏎ accept  Esc cancel</Text>
    </Box>
  );
}
