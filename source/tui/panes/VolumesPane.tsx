// The volumes table: every named and anonymous volume with the containers that mount it;
// create, remove, prune, inspect. Follows the store (another process's volume create/rm shows).
import React, { useMemo } from 'react';
import { FilteredTable } from '../components/FilteredTable.js';
import type { Column } from '../components/WindowedTable.js';
import { useServices } from '../contexts/services.js';
import { useContainerRecords } from '../hooks/useContainerRecords.js';
import { useVolumeList } from '../hooks/useEngineList.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListFilter } from '../hooks/useListFilter.js';
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
  const { volumes, loaded, reload } = useVolumeList();
  const records = useContainerRecords(active);
  const { filter, handlers: filterKeys } = useListFilter();
  const users = useMemo(() => volumeUsers(records), [records]);
  const rows = useMemo(() => volumeRows(volumes, users, filter), [volumes, users, filter]);
  const tableHeight = Math.max(1, height - 2 - (filter ? 1 : 0));
  const cursor = useListCursor(rows, (r) => r.name, tableHeight);
  const selected = rows[cursor.index];
  const actions = useVolumeActions(selected, rows, reload);
  useKeymap(['list', 'volumes'], { ...cursor.handlers, ...actions, ...filterKeys }, { active });
  return (
    <FilteredTable active={active} width={width} height={height} accent={config.theme.accent} filter={filter} total={volumes.length}
      columns={COLUMNS} rows={rows} rowKey={(r) => r.name} cursor={cursor.index} start={cursor.start} tableHeight={tableHeight}
      empty={!loaded ? 'loading…' : filter ? `no volume matches "${filter}"` : 'no volumes — c creates one'}
      footer={selected ? `${selected.name}: ${selected.users.length > 0 ? `used by ${selected.users.join(', ')}` : 'used by no container'} — ${selected.mountpoint}` : ''} />
  );
}
