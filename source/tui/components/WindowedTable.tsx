// A table that renders only the rows on screen, so 500 rows cost what 30 do. Column widths come
// from the whole list (model/column-layout.ts), so they stay put while it scrolls.
import React from 'react';
import { Box, Text } from 'ink';
import { layoutColumns, type ColumnNeed } from '../model/column-layout.js';
import { fit } from '../model/format.js';

export interface Column<T> {
  title: string;
  // a number: that width (down to `min` when the table is short of room);
  // 'flex': what its values need (over the whole list), and a share of the room the others leave
  width: number | 'flex';
  min?: number; // the least width worth showing (default: the width; 8 for flex)
  priority?: number; // lower is kept and widened first when the width is short (default: the column's place)
  optional?: boolean; // left out when no row has a value
  spare?: boolean; // shown only when the more important columns have all they need
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
  measureRows?: readonly T[]; // the rows widths are measured on (default: rows): the unfiltered list
  /** A row drawn as one line across the columns (a group's header) instead of cells; not measured. */
  spanning?(row: T): { text: string; color?: string } | undefined;
}

const FLEX_MIN = 8;

/** The width of each column at a table width, measured over `rows`; 0 for a column left out. */
export function columnWidths<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], width: number, sortColumn?: string): number[] {
  const needs = columns.map((c, i): ColumnNeed => {
    const title = c.title.length + (c.title === sortColumn ? 1 : 0);
    const widest = rows.reduce((max, row) => Math.max(max, c.value(row).length), 0);
    const empty = c.optional === true && widest === 0;
    // only flex columns follow their values: a number that changes (CPU, "Up 5 seconds") moves nothing
    const ideal = c.width === 'flex' ? Math.max(title, widest) : c.width;
    return {
      min: c.min ?? (c.width === 'flex' ? FLEX_MIN : c.width),
      ideal: empty ? 0 : ideal,
      priority: c.priority ?? i,
      grow: c.width === 'flex',
      spare: c.spare === true,
    };
  });
  return layoutColumns(needs, width);
}

export function WindowedTable<T>(props: WindowedTableProps<T>) {
  const { columns, rows, cursor, start, height, width } = props;
  const widths = columnWidths(columns, props.measureRows ?? rows, width, props.sortColumn);
  const shown = columns.map((c, i) => ({ c, w: widths[i] })).filter(({ w }) => w > 0);
  const visible = rows.slice(start, start + Math.max(0, height));
  const header = shown.map(({ c, w }) => {
    const arrow = props.sortColumn === c.title ? (props.sortDescending ? '↓' : '↑') : '';
    return fit(c.title + arrow, w, c.align);
  }).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold color={props.headerColor} wrap="truncate-end">{header}</Text>
      {visible.length === 0 && <Text dimColor>{props.empty ?? 'nothing to show'}</Text>}
      {visible.map((row, i) => {
        const selected = start + i === cursor;
        const span = props.spanning?.(row);
        if (span) {
          return <Text key={props.rowKey(row)} inverse={selected && props.focused !== false} bold color={span.color} wrap="truncate-end">{fit(span.text, width)}</Text>;
        }
        return (
          <Text key={props.rowKey(row)} inverse={selected && props.focused !== false} wrap="truncate-end">
            {shown.map(({ c, w }, ci) => (
              <Text key={c.title} color={c.color?.(row)}>{(ci > 0 ? ' ' : '') + fit(c.value(row), w, c.align)}</Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
