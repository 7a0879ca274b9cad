import React from 'react';
import { Box, Text } from 'ink';
import type { FormField } from '../contexts/overlay.js';
import { TextField } from './TextField.js';

export interface FormDialogProps {
  title: string;
  fields: readonly FormField[];
  values: Record<string, string>;
  focus: number;
  cursor: number;
  accent?: string;
}

export function FormDialog({ title, fields, values, focus, cursor, accent }: FormDialogProps) {
  const labelWidth = Math.max(...fields.map((f) => f.label.length)) + 2;
  return (
    <Box borderStyle="round" borderColor={accent} paddingX={1} flexDirection="column">
      <Text bold>{title}</Text>
      {fields.map((f, i) => (
        <Box key={f.name} flexDirection="row">
          <Text bold={i === focus}>{(i === focus ? '› ' : '  ') + f.label.padEnd(labelWidth)}</Text>
          <TextField value={values[f.name] ?? ''} cursor={cursor} focused={i === focus} />
          {f.hint && i === focus ? <Text dimColor>  {f.hint}</Text> : null}
        </Box>
      ))}
      <Text dimColor>Tab/↓ next field  ↑ previous  ⏎ on the last field runs  Esc cancel</Text>
    </Box>
  );
}
