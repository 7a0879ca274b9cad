// The networks table: bridge, host, none and the user's networks, each with its subnet and the
// containers on it; create, remove, prune, inspect. Follows the store (another process's
// network create/rm shows).
import React, { useMemo } from 'react';
import { FilteredTable } from '../components/FilteredTable.js';
import type { Column } from '../components/WindowedTable.js';
import { useServices } from '../contexts/services.js';
import { useContainerRecords } from '../hooks/useContainerRecords.js';
import { useNetworkList } from '../hooks/useEngineList.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListFilter } from '../hooks/useListFilter.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { useNetworkActions } from '../hooks/useNetworkActions.js';
import { shortId } from '../model/format.js';
import { networkRows, networkUsers, usersText, type NetworkRow } from '../model/store-objects.js';
import type { PaneProps } from './pane-props.js';

const COLUMNS: Column<NetworkRow>[] = [
  { title: 'NETWORK ID', width: 12, value: (r) => shortId(r.id) },
  { title: 'NAME', width: 'flex', value: (r) => r.name },
  { title: 'DRIVER', width: 6, value: (r) => r.driver },
  { title: 'SUBNET', width: 18, value: (r) => r.subnet || '-' },
  { title: 'CONTAINERS', width: 'flex', value: (r) => usersText(r.users) },
];

export function NetworksPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const { networks, loaded, reload } = useNetworkList();
  const records = useContainerRecords(active);
  const { filter, handlers: filterKeys } = useListFilter();
  const users = useMemo(() => networkUsers(records), [records]);
  const rows = useMemo(() => networkRows(networks, users, filter), [networks, users, filter]);
  const tableHeight = Math.max(1, height - 2 - (filter ? 1 : 0));
  const cursor = useListCursor(rows, (r) => r.id, tableHeight);
  const selected = rows[cursor.index];
  const actions = useNetworkActions(selected, rows, reload);
  useKeymap(['list', 'networks'], { ...cursor.handlers, ...actions, ...filterKeys }, { active });
  return (
    <FilteredTable active={active} width={width} height={height} accent={config.theme.accent} filter={filter} total={networks.length}
      columns={COLUMNS} rows={rows} rowKey={(r) => r.id} cursor={cursor.index} start={cursor.start} tableHeight={tableHeight}
      empty={!loaded ? 'loading…' : filter ? `no network matches "${filter}"` : 'no networks'}
      footer={selected ? `${selected.name}: ${selected.users.length > 0 ? `containers ${selected.users.join(', ')}` : 'no container on it'}${selected.gateway ? ` — gateway ${selected.gateway}` : ''}` : ''} />
  );
}
