// A table that renders only the rows on screen, so 500 rows cost what 30 do.
import React from 'react';
import { Box, Text } from 'ink';
import { fit } from '../model/format.js';

export interface Column<T> {
  title: string;
  width: number | 'flex'; // 'flex' columns share what the fixed ones leave
  align?: 'left' | 'right';
  value(row: T): string;
  color?(row: T): string | undefined;
}

export interface WindowedTableProps<T> {
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey(row: T): string;
  cursor: number;
  start: number;
  height: number; // rows of data, the header excluded
  width: number;
  focused?: boolean;
  empty?: string;
  sortColumn?: string;
  sortDescending?: boolean;
  headerColor?: string;
}

export function columnWidths<T>(columns: ReadonlyArray<Column<T>>, width: number): number[] {
  const gaps = Math.max(0, columns.length - 1);
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
  const flexCount = columns.filter((c) => c.width === 'flex').length;
  const flexWidth = flexCount > 0 ? Math.max(8, Math.floor((width - fixed - gaps) / flexCount)) : 0;
  return columns.map((c) => (c.width === 'flex' ? flexWidth : c.width));
}

export function WindowedTable<T>(props: WindowedTableProps<T>) {
  const { columns, rows, cursor, start, height, width } = props;
  const widths = columnWidths(columns, width);
  const visible = rows.slice(start, start + Math.max(0, height));
  const header = columns.map((c, i) => {
    const arrow = props.sortColumn === c.title ? (props.sortDescending ? '↓' : '↑') : '';
    return fit(c.title + arrow, widths[i], c.align);
  }).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold color={props.headerColor} wrap="truncate-end">{header}</Text>
      {visible.length === 0 && <Text dimColor>{props.empty ?? 'nothing to show'}</Text>}
      {visible.map((row, i) => {
        const selected = start + i === cursor;
        return (
          <Text key={props.rowKey(row)} inverse={selected && props.focused !== false} wrap="truncate-end">
            {columns.map((c, ci) => (
              <Text key={c.title} color={c.color?.(row)}>{(ci > 0 ? ' ' : '') + fit(c.value(row), widths[ci], c.align)}</Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
