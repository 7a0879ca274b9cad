// The volumes table: every named and anonymous volume with the containers that mount it;
// create, remove, prune, inspect. Follows the store (another process's volume create/rm shows).
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useContainerRecords } from '../hooks/useContainerRecords.js';
import { useVolumeList } from '../hooks/useEngineList.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { useVolumeActions } from '../hooks/useVolumeActions.js';
import { timeAgo } from '../../engine/format/duration.js';
import { usersText, volumeRows, volumeUsers, type VolumeRow } from '../model/store-objects.js';
import type { PaneProps } from './pane-props.js';

const COLUMNS: Column<VolumeRow>[] = [
  { title: 'VOLUME NAME', width: 'flex', value: (r) => r.name },
  { title: 'DRIVER', width: 6, value: (r) => r.driver },
  { title: 'CREATED', width: 18, value: (r) => timeAgo(r.created) },
  { title: 'USED BY', width: 'flex', value: (r) => usersText(r.users) },
];

export function VolumesPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const overlay = useOverlay();
  const { volumes, loaded, reload } = useVolumeList();
  const records = useContainerRecords(active);
  const [filter, setFilter] = useState('');
  const users = useMemo(() => volumeUsers(records), [records]);
  const rows = useMemo(() => volumeRows(volumes, users, filter), [volumes, users, filter]);
  const tableHeight = Math.max(1, height - 2 - (filter ? 1 : 0));
  const cursor = useListCursor(rows, (r) => r.name, tableHeight);
  const selected = rows[cursor.index];
  const actions = useVolumeActions(selected, rows, reload);
  useKeymap(['list', 'volumes'], {
    ...cursor.handlers,
    ...actions,
    filter: () => overlay.open({ kind: 'prompt', label: 'filter: ', initial: filter, onChange: setFilter, onSubmit: setFilter, onCancel: () => setFilter(filter) }),
    'clear-filter': filter ? () => setFilter('') : undefined,
  }, { active });
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      {filter ? <Text color={config.theme.accent}>{`filter: ${filter}  (${rows.length} of ${volumes.length}; Esc clears)`}</Text> : null}
      <WindowedTable columns={COLUMNS} rows={rows} rowKey={(r) => r.name} cursor={cursor.index} start={cursor.start} height={tableHeight} width={width}
        empty={!loaded ? 'loading…' : filter ? `no volume matches "${filter}"` : 'no volumes — c creates one'} />
      <Text dimColor wrap="truncate-end">{selected ? `${selected.name}: ${selected.users.length > 0 ? `used by ${selected.users.join(', ')}` : 'used by no container'} — ${selected.mountpoint}` : ''}</Text>
    </Box>
  );
}
