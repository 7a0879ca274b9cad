// The containers table: live state and resources of every container, sorted and filtered,
// with the lifecycle keys. Data comes from hooks; this file wires them to the table.
import React, { useEffect, useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useNavigation } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useStatsHistory, useWantStats } from '../contexts/stats.js';
import { useContainerActions } from '../hooks/useContainerActions.js';
import { useContainerList } from '../hooks/useEngineList.js';
import { useUptimeClock } from '../hooks/useUptimeClock.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListFilter } from '../hooks/useListFilter.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { CONTAINER_SORT_KEYS, containerRows, visibleContainerRows, type ContainerRow, type ContainerSortKey } from '../model/container-rows.js';
import { groupByProject, projectHeaderText, projectKey, rowProject, toggleFold, toggleFoldAll, type ContainerListRow } from '../model/compose-groups.js';
import { useProjectActions } from '../hooks/useProjectActions.js';
import { actionTargets } from '../model/batch.js';
import { formatBytes, formatPercent, shortId } from '../model/format.js';
import { MONITOR_GONE_NOTE } from '../../engine/format/status.js';
import { latest } from '../model/stats-history.js';
import type { Theme } from '../theme.js';
import type { PaneProps } from './pane-props.js';

const STATUS_WIDTH = 24; // "Up About a minute (Paused)" and most of docker's STATUS words

const SORT_TITLES: Record<ContainerSortKey, string> = { name: 'NAME', image: 'IMAGE', state: 'STATE', cpu: 'CPU %', memory: 'MEM', pids: 'PIDS' };

// Widths by priority (a lower number is kept and widened first): NAME and IMAGE get what they
// need, then PORTS; STATUS, then STATE (which STATUS repeats) shrink. Widths are measured on the
// whole list (measureRows), and fixed columns do not follow their values: nothing jumps.
function columns(theme: Theme, marked: ReadonlySet<string>, statusWidth: number): Column<ContainerListRow>[] {
  const rowColumns: Column<ContainerRow>[] = [
    { title: 'IMAGE', width: 'flex', min: 12, priority: 1, value: (r) => r.image },
    { title: 'STATE', width: 10, min: 7, priority: 6, value: (r) => r.state, color: (r) => theme.state[r.tone] },
    { title: 'STATUS', width: statusWidth, min: 12, priority: 3, value: (r) => r.statusText, color: (r) => (r.summary.monitorGone ? theme.state[r.tone] : undefined) }, // docker ps's words
    { title: 'CPU %', width: 7, min: 6, priority: 4, align: 'right', value: (r) => formatPercent(r.cpuPercent) },
    { title: 'MEM', width: 8, min: 7, priority: 5, align: 'right', value: (r) => (r.memoryUsage === undefined ? '-' : formatBytes(r.memoryUsage)) },
    { title: 'PIDS', width: 5, min: 4, priority: 7, align: 'right', value: (r) => (r.pids === undefined ? '-' : String(r.pids)) },
    // Only when some container publishes ports (any, not only those on screen).
    { title: 'PORTS', width: 'flex', min: 12, priority: 2, optional: true, value: (r) => r.ports },
    // docker ps's short id: the first to go when the terminal is narrow.
    { title: 'CONTAINER ID', width: 12, min: 12, priority: 8, spare: true, value: (r) => shortId(r.id) },
  ];
  return [
    // Marked for the merged log view: a sign rather than a colour, so NO_COLOR shows it too. A
    // compose project's containers are indented under its header.
    {
      title: 'NAME', width: 'flex', min: 12, priority: 0,
      value: (l) => (l.kind === 'container' ? `${l.project ? '  ' : ''}${marked.has(l.row.id) ? '+ ' : ''}${l.row.name}` : ''),
      color: (l) => (l.kind === 'container' && marked.has(l.row.id) ? theme.accent : undefined),
    },
    // Header rows are drawn across the columns (spanning), so cells read container lines only.
    ...rowColumns.map((c): Column<ContainerListRow> => ({
      ...c,
      value: (l) => (l.kind === 'container' ? c.value(l.row) : ''),
      color: c.color && ((l) => (l.kind === 'container' ? c.color?.(l.row) : undefined)),
    })),
  ];
}

export function ContainersPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const nav = useNavigation();
  const { containers, loaded } = useContainerList();
  const now = useUptimeClock(containers, active);
  const history = useStatsHistory();
  const { filter, handlers: filterKeys } = useListFilter();
  const [sort, setSort] = useState<{ key: ContainerSortKey; descending: boolean }>({ key: 'name', descending: false });

  const rows = useMemo(() => visibleContainerRows(containers, latest(history), filter, sort.key, sort.descending, now), [containers, history, filter, sort, now]);
  const allRows = useMemo(() => containerRows(containers, latest(history), now), [containers, history, now]);
  // Compose projects: a header row each, their containers under it unless folded (z, Z).
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const lines = useMemo(() => groupByProject(rows, allRows, folded, filter), [rows, allRows, folded, filter]);
  const measured = useMemo(() => groupByProject(allRows, allRows, new Set()), [allRows]); // what widths are measured on
  const infoLines = (filter ? 1 : 0) + (nav.marked.length > 0 ? 1 : 0);
  const tableHeight = Math.max(1, height - 1 - infoLines);
  const cursor = useListCursor(lines, (l) => l.key, tableHeight, nav.containerChosenBy === 'containers' ? undefined : nav.container?.id);
  const line = lines[cursor.index];
  const selected = line?.kind === 'container' ? line.row : undefined;
  const header = line?.kind === 'project' ? line : undefined;

  const onScreen = lines.slice(cursor.start, cursor.start + tableHeight).flatMap((l) => (l.kind === 'container' ? [l.row] : []));
  useWantStats('containers', onScreen.filter((r) => r.status === 'running' || r.status === 'paused').map((r) => r.id), active);

  // Both setters keep what they hold when given the same container again.
  const { selectContainer, pendingFocus, focusContainer } = nav;
  useEffect(() => {
    if (active) selectContainer(selected ? { id: selected.id, name: selected.name } : undefined, 'containers');
  }, [active, selected, selectContainer]);
  // On a compose project's header, the logs pane merges the project's containers.
  const { selectProject } = nav;
  useEffect(() => {
    if (active) selectProject(header ? { name: header.name, containers: header.members.map((m) => ({ id: m.id, name: m.name })) } : undefined);
  }, [active, header, selectProject]);
  const { select } = cursor;
  useEffect(() => {
    if (pendingFocus && lines.some((l) => l.key === pendingFocus)) {
      select(pendingFocus);
      focusContainer(undefined);
    }
  }, [pendingFocus, lines, select, focusContainer]);

  // Marks outlive filtering and refreshes; a container removed (here or elsewhere) loses its mark.
  const { keepMarks, marked } = nav;
  useEffect(() => {
    if (loaded) keepMarks(new Set(containers.map((c) => c.id)));
  }, [loaded, containers, keepMarks]);
  const targets = useMemo(() => actionTargets(marked, containers, selected), [marked, containers, selected]);
  const actions = useContainerActions(selected, targets);
  // On a project's header the lifecycle keys act on the project, unless containers are marked.
  const projectActions = useProjectActions(header);
  const onProject = header && marked.length === 0 ? projectActions : header ? { mark: projectActions.mark } : {};
  const fold = (all: boolean) => {
    const project = rowProject(line);
    if (all) setFolded((f) => toggleFoldAll(f, lines.flatMap((l) => (l.kind === 'project' ? [l.name] : []))));
    else if (project) setFolded((f) => toggleFold(f, project));
    // a member folded away: the cursor goes to its project's header
    if (project && (all || !folded.has(project))) select(projectKey(project));
  };
  useKeymap(['list', 'containers'], {
    ...cursor.handlers,
    ...actions,
    ...onProject,
    // k9s: marking moves on, so space space space marks three rows.
    mark: (onProject.mark ?? actions.mark) ? () => {
      (onProject.mark ?? actions.mark)?.();
      cursor.handlers.down?.();
    } : undefined,
    fold: rowProject(line) ? () => fold(false) : undefined,
    'fold-all': () => fold(true),
    ...filterKeys,
    sort: () => setSort((s) => ({ key: CONTAINER_SORT_KEYS[(CONTAINER_SORT_KEYS.indexOf(s.key) + 1) % CONTAINER_SORT_KEYS.length], descending: s.descending })),
    reverse: () => setSort((s) => ({ ...s, descending: !s.descending })),
  }, { active });

  const markedIds = useMemo(() => new Set(nav.marked.map((m) => m.id)), [nav.marked]);
  // Room for the engine's note on a dead monitor only while some container has one (any, not only those on screen).
  const statusWidth = STATUS_WIDTH + (containers.some((c) => c.monitorGone) ? MONITOR_GONE_NOTE.length : 0);
  const cols = useMemo(() => columns(config.theme, markedIds, statusWidth), [config.theme, markedIds, statusWidth]);
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      {filter ? <Text color={config.theme.accent}>{`filter: ${filter}  (${rows.length} of ${containers.length}; Esc clears)`}</Text> : null}
      {nav.marked.length > 0 ? <Text color={config.theme.accent}>{`${nav.marked.length} marked for a merged log (⏎) and for s x r p K d; M unmarks`}</Text> : null}
      <WindowedTable
        columns={cols}
        rows={lines}
        measureRows={measured}
        rowKey={(l) => l.key}
        spanning={(l) => (l.kind === 'project' ? { text: projectHeaderText(l), color: config.theme.accent } : undefined)}
        cursor={cursor.index}
        start={cursor.start}
        height={tableHeight}
        width={width}
        sortColumn={SORT_TITLES[sort.key]}
        sortDescending={sort.descending}
        empty={!loaded ? 'loading…' : filter ? `no container matches "${filter}"` : 'no containers — run one from the images pane (2, then R)'}
      />
    </Box>
  );
}
