import React from 'react';
import { Box, Text } from 'ink';

export function ConfirmDialog({ message, color }: { message: string; color?: string }) {
  return (
    <Box borderStyle="round" borderColor={color} paddingX={1} flexDirection="column">
      <Text bold>{message}</Text>
      <Text><Text bold>y</Text> yes   <Text bold>n</Text>/<Text bold>Esc</Text> no</Text>
    </Box>
  );
}
