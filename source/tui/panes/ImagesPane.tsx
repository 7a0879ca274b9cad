// The images table: one row per tag, with the containers using each; run, remove, inspect.
import React, { useEffect, useMemo } from 'react';
import { Box, Text } from 'ink';
import { WindowedTable, type Column } from '../components/WindowedTable.js';
import { useNavigation } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useContainerList, useImageList } from '../hooks/useEngineList.js';
import { useImageActions } from '../hooks/useImageActions.js';
import { usePullProgress } from '../hooks/usePullProgress.js';
import { ProgressBars } from '../components/ProgressBars.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useListFilter } from '../hooks/useListFilter.js';
import { useListCursor } from '../hooks/useListCursor.js';
import { timeAgo } from '../../engine/format/duration.js';
import { useRelativeClock } from '../hooks/useUptimeClock.js';
import { formatBytes, shortId } from '../model/format.js';
import { imageRef, imageRows, type ImageRow } from '../model/image-rows.js';
import type { PaneProps } from './pane-props.js';

// CREATED in docker's words ("2 minutes ago"), drawn at the clock's `now`.
function columns(now: number): Column<ImageRow>[] {
  return [
    { title: 'REPOSITORY:TAG', width: 'flex', min: 16, priority: 0, value: (r) => r.ref },
    { title: 'IMAGE ID', width: 12, priority: 1, value: (r) => shortId(r.id) },
    { title: 'SIZE', width: 8, priority: 2, align: 'right', value: (r) => formatBytes(r.size) },
    { title: 'CREATED', width: 18, min: 12, priority: 3, value: (r) => timeAgo(r.created, new Date(now)) },
    { title: 'CONTAINERS', width: 10, priority: 4, align: 'right', value: (r) => String(r.containers) },
  ];
}

export function ImagesPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const nav = useNavigation();
  const { images, loaded } = useImageList();
  const { containers } = useContainerList();
  const { filter, handlers: filterKeys } = useListFilter();
  const rows = useMemo(() => imageRows(images, containers, filter), [images, containers, filter]);
  const allRows = useMemo(() => imageRows(images, containers, ''), [images, containers]); // what widths are measured on
  const createdTimes = useMemo(() => images.map((i) => Date.parse(i.created)), [images]);
  const now = useRelativeClock(createdTimes, active);
  const cols = useMemo(() => columns(now), [now]);
  const progress = usePullProgress();
  // The pull's bars take rows above the table while they are shown.
  const progressLines = progress.ref ? progress.layers.length + 1 : 0;
  const filterLine = filter ? 1 : 0;
  const tableHeight = Math.max(1, height - 1 - filterLine - progressLines);
  const cursor = useListCursor(rows, (r) => r.key, tableHeight);
  const usedIds = useMemo(() => new Set(containers.map((c) => c.imageId)), [containers]);
  const selected = rows[cursor.index];
  const { selectImage } = nav; // keeps what it holds when given the same image again
  useEffect(() => {
    if (active) selectImage(selected ? { id: selected.id, ref: imageRef(selected) } : undefined);
  }, [active, selected, selectImage]);
  const actions = useImageActions(selected, { images, usedIds, progress, width });
  useKeymap(['list', 'images'], {
    ...cursor.handlers,
    ...actions,
    ...filterKeys,
  }, { active });
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      {filter ? <Text color={config.theme.accent}>{`filter: ${filter}  (${rows.length} shown; Esc clears)`}</Text> : null}
      {progress.ref ? <ProgressBars title={`${progress.verb ?? 'pulling'} ${progress.ref}`} layers={progress.layers} width={width} accent={config.theme.accent} /> : null}
      <WindowedTable
        columns={cols}
        rows={rows}
        measureRows={allRows}
        rowKey={(r) => r.key}
        cursor={cursor.index}
        start={cursor.start}
        height={tableHeight}
        width={width}
        empty={!loaded ? 'loading…' : filter ? `no image matches "${filter}"` : 'no images — strata import rootfs.tar NAME, or strata demo'}
      />
    </Box>
  );
}
