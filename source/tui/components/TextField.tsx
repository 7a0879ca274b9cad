import React from 'react';
import { Text } from 'ink';

/** A one-line field with a visible cursor (inverse video, so it shows without colour). */
export function TextField({ value, cursor, focused = true }: { value: string; cursor: number; focused?: boolean }) {
  if (!focused) return <Text>{value}</Text>;
  return (
    <Text>
      {value.slice(0, cursor)}
      <Text inverse>{value[cursor] ?? ' '}</Text>
      {value.slice(cursor + 1)}
    </Text>
  );
}
