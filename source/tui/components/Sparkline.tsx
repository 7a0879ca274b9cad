import React from 'react';
import { Text } from 'ink';
import { sparkline } from '../model/sparkline.js';

export function Sparkline({ values, width, max, color }: { values: readonly number[]; width: number; max?: number; color?: string }) {
  return <Text color={color}>{sparkline(values, width, max)}</Text>;
}
