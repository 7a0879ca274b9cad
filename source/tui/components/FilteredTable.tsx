// A store object's table (volumes, networks): the filter line when one is set, the rows, and a
// line about the selected row under them. Renders props only.
import React from 'react';
import { Box, Text } from 'ink';
import { WindowedTable, type Column } from './WindowedTable.js';

export interface FilteredTableProps<R> {
  active: boolean;
  width: number;
  height: number;
  accent?: string;
  filter: string;
  total: number; // before the filter
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  cursor: number;
  start: number;
  tableHeight: number;
  empty: string;
  footer: string; // about the selected row
}

export function FilteredTable<R>(p: FilteredTableProps<R>) {
  return (
    <Box flexDirection="column" display={p.active ? 'flex' : 'none'} width={p.width} height={p.height}>
      {p.filter ? <Text color={p.accent}>{`filter: ${p.filter}  (${p.rows.length} of ${p.total}; Esc clears)`}</Text> : null}
      <WindowedTable columns={p.columns} rows={p.rows} rowKey={p.rowKey} cursor={p.cursor} start={p.start} height={p.tableHeight} width={p.width} empty={p.empty} />
      <Text dimColor wrap="truncate-end">{p.footer}</Text>
    </Box>
  );
}
