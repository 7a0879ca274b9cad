// Resource use of the running containers over the last minutes (sparklines), and the
// process list of the selected one.
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { ContainerSummary, ProcessRow, StatsSample } from '../../engine/api.js';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useNavigation } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useStatsHistory, useWantStats } from '../contexts/stats.js';
import { useContainerList } from '../hooks/useEngineList.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { useProcessList } from '../hooks/useProcessList.js';
import { formatBytes, formatPercent } from '../model/format.js';
import { sparkline } from '../model/sparkline.js';
import { nextStatsSort, sortStatsRows, STATS_SORT_TITLES, type StatsSortKey } from '../model/stats-sort.js';
import type { Theme } from '../theme.js';
import type { PaneProps } from './pane-props.js';

export interface StatsRow {
  id: string;
  name: string;
  status: ContainerSummary['status'];
  samples: readonly StatsSample[];
}

const SPARK_MIN = 10;

export function statsColumns(width: number, theme: Theme): Column<StatsRow>[] {
  const fixed = 20 + 7 + 8 + 5 + 17 + 17 + 7; // name, cpu, mem, pids, net i/o, block i/o, gaps
  const spark = Math.max(SPARK_MIN, Math.floor((width - fixed) / 2));
  const last = (r: StatsRow) => r.samples[r.samples.length - 1];
  return [
    { title: 'NAME', width: 20, value: (r) => r.name, color: (r) => theme.state[r.status] },
    { title: 'CPU %', width: 7, align: 'right', value: (r) => formatPercent(last(r)?.cpuPercent) },
    // One core is the top of the CPU scale unless the container uses more.
    { title: 'CPU', width: spark, value: (r) => sparkline(r.samples.map((s) => s.cpuPercent), spark, Math.max(100, ...r.samples.map((s) => s.cpuPercent))), color: () => theme.ok },
    { title: 'MEM', width: 8, align: 'right', value: (r) => (last(r) ? formatBytes(last(r)!.memoryUsage) : '-') },
    { title: 'MEMORY', width: spark, value: (r) => sparkline(r.samples.map((s) => s.memoryUsage), spark), color: () => theme.accent },
    { title: 'PIDS', width: 5, align: 'right', value: (r) => (last(r) ? String(last(r)!.pids) : '-') },
    { title: 'NET I/O', width: 17, align: 'right', value: (r) => (last(r) ? `${formatBytes(last(r)!.netRx)}/${formatBytes(last(r)!.netTx)}` : '-') },
    { title: 'BLOCK I/O', width: 17, align: 'right', value: (r) => (last(r) ? `${formatBytes(last(r)!.blockRead)}/${formatBytes(last(r)!.blockWrite)}` : '-') },
  ];
}

const PROCESS_COLUMNS: Column<ProcessRow>[] = [
  { title: 'UID', width: 8, value: (p) => p.uid },
  { title: 'PID', width: 8, align: 'right', value: (p) => String(p.pid) },
  { title: 'PPID', width: 8, align: 'right', value: (p) => String(p.ppid) },
  { title: 'C', width: 3, align: 'right', value: (p) => String(p.c) },
  { title: 'STIME', width: 6, value: (p) => p.stime },
  { title: 'TIME', width: 9, value: (p) => p.time },
  { title: 'CMD', width: 'flex', value: (p) => p.cmd },
];

export function StatsPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const nav = useNavigation();
  const { containers, loaded } = useContainerList();
  const history = useStatsHistory();
  const [sort, setSort] = useState<StatsSortKey>('name');
  const rows = useMemo<StatsRow[]>(() => sortStatsRows(containers
    .filter((c) => c.status === 'running' || c.status === 'paused')
    .map((c) => ({ id: c.id, name: c.name, status: c.status, samples: history.get(c.id) ?? [] })), sort), [containers, history, sort]);

  const tableHeight = Math.max(1, Math.min(rows.length || 1, Math.floor((height - 3) / 2)));
  const cursor = useListCursor(rows, (r) => r.id, tableHeight, nav.containerChosenBy === 'stats' ? undefined : nav.container?.id);
  const selected = rows[cursor.index];
  useWantStats('stats', rows.slice(cursor.start, cursor.start + tableHeight).map((r) => r.id), active, { everySample: true });
  const { selectContainer } = nav; // keeps what it holds when given the same container again
  useEffect(() => {
    if (active && selected) selectContainer({ id: selected.id, name: selected.name }, 'stats');
  }, [active, selected, selectContainer]);
  const { processes, error } = useProcessList(selected?.id, active);
  const processHeight = Math.max(1, height - tableHeight - 3);

  useKeymap(['list', 'stats'], {
    ...cursor.handlers,
    logs: () => nav.show('logs'),
    sort: () => setSort(nextStatsSort),
    back: () => nav.show('containers'),
  }, { active });

  const columns = useMemo(() => statsColumns(width, config.theme), [width, config.theme]);
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      <WindowedTable columns={columns} rows={rows} rowKey={(r) => r.id} cursor={cursor.index} start={cursor.start} height={tableHeight} width={width}
        sortColumn={STATS_SORT_TITLES[sort]} sortDescending={sort !== 'name'}
        empty={loaded ? 'no running containers' : 'loading…'} />
      <Text bold color={config.theme.accent}>{selected ? `processes in ${selected.name}` : 'processes'}{error ? <Text color={config.theme.error}>{`  ${error}`}</Text> : null}</Text>
      <WindowedTable columns={PROCESS_COLUMNS} rows={processes} rowKey={(p) => String(p.pid)} cursor={-1} start={0} height={processHeight} width={width} empty={selected ? 'reading…' : ''} />
    </Box>
  );
}
