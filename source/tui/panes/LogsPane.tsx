// Live log of the selected container, or of the marked ones (or a compose project's) merged: follows, scrolls,
// searches, filters, reads back as far as asked, saves and copies; see useLogView.
import React, { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import { LogLines, logPrefixWidth, sourceWidthFor } from '../components/LogLines.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useLogActions } from '../hooks/useLogActions.js';
import { useLogTail } from '../hooks/useLogTail.js';
import { useLogView } from '../hooks/useLogView.js';
import type { LogBuffer } from '../model/log-buffer.js';
import { logRanges, parseRange, readOptions, type LogRange } from '../model/log-range.js';
import type { PaneProps } from './pane-props.js';

const count = (n: number) => n.toLocaleString('en-US');

/** What the buffer holds: the range read back, the lines that came live after it, and how many the ring keeps of them. */
function loadedText(rangeLabel: string, buffer: LogBuffer, historyLines: number | undefined): string {
  const total = buffer.lastSeq + 1;
  const live = historyLines === undefined ? 0 : total - historyLines;
  return `${rangeLabel}${live > 0 ? ` + ${count(live)} live` : ''}${buffer.length < total ? ` (${count(buffer.length)} kept)` : ''}`;
}

export function LogsPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const { theme } = config;
  const nav = useNavigation();
  const overlay = useOverlay();
  const containers = useMemo(() => (nav.marked.length > 0 ? nav.marked : nav.project ? nav.project.containers : nav.container ? [nav.container] : []), [nav.marked, nav.project, nav.container]);
  const { notify } = useStatus();
  const ranges = useMemo(() => logRanges(config.logTail), [config.logTail]);
  // A preset (r cycles them) or a typed range (R); each choice reads the log again.
  const [rangeChoice, setRangeChoice] = useState<{ index: number; typed?: LogRange; reads: number }>({ index: 0, reads: 0 });
  const range = rangeChoice.typed ?? ranges[rangeChoice.index];
  const tail = useLogTail(containers, active, () => readOptions(range, Date.now()), rangeChoice.reads);
  const names = useMemo(() => containers.map((c) => c.name), [containers]);
  const sourceWidth = sourceWidthFor(names);
  const sourceColors = useMemo(() => new Map(names.map((n, i) => [n, theme.sources?.[i % theme.sources.length]])), [names, theme]);
  const bodyHeight = Math.max(1, height - 1);
  const view = useLogView({ buffer: tail.buffer, version: tail.version, height: bodyHeight, width, prefixWidth: (timestamps) => logPrefixWidth(timestamps, sourceWidth), colors: theme.color });
  const logActions = useLogActions(containers, view);
  const pattern = (set: (query: string) => string | undefined) => (query: string) => {
    const error = set(query);
    if (error) notify(error, 'error');
  };
  const back = () => {
    if (view.search || view.filter) {
      view.setSearch('');
      view.setFilter('');
    } else nav.show('containers');
  };

  useKeymap(['logs'], {
    ...view.handlers,
    ...logActions,
    search: () => overlay.open({ kind: 'prompt', label: '/', initial: view.search?.query ?? '', onSubmit: pattern(view.setSearch) }),
    filter: () => overlay.open({ kind: 'prompt', label: '&', initial: view.filter?.query ?? '', onSubmit: pattern(view.setFilter) }),
    range: () => setRangeChoice((c) => ({ index: c.typed ? 0 : (c.index + 1) % ranges.length, reads: c.reads + 1 })),
    'range-typed': () => overlay.open({
      kind: 'prompt',
      label: 'read back (500, 10m, 1h30m, 2024-05-01T12:00, all): ',
      initial: '',
      onSubmit: (text) => {
        if (!text.trim()) return;
        const parsed = parseRange(text);
        if ('error' in parsed) notify(parsed.error, 'error');
        else setRangeChoice((c) => ({ index: c.index, typed: parsed.range, reads: c.reads + 1 }));
      },
    }),
    'scroll-left': () => {
      if (!view.scrollSideways(-1)) back();
    },
    'scroll-right': () => {
      view.scrollSideways(1);
    },
    back,
  }, { active });

  const flags = [
    `line ${view.position}/${view.shownCount} of ${loadedText(range.label, tail.buffer, tail.historyLines)}`,
    ...(view.offset > 0 ? [`col ${view.offset + 1}`] : []),
    `timestamps ${view.timestamps ? 'on' : 'off'}`,
    `wrap ${view.wrap ? 'on' : 'off'}`,
    ...(view.colors ? [] : ['colours off']),
  ].join('  ');
  const held = view.follow ? '' : `${view.newLines > 0 ? `  +${count(view.newLines)} new` : ''}${view.topDropped ? '  (top line dropped from the buffer; shown as held)' : ''}`;
  const state = tail.state === 'ended' ? '  (log ended)' : tail.state === 'error' ? `  error: ${tail.error}` : '';
  const title = containers.length > 1 ? `logs ${names.join(' + ')}` : containers.length === 1 ? `logs ${names[0]}` : 'logs';
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>{title}</Text>
        {/* follow and what it holds back first: on a narrow terminal the line is cut at its end */}
        <Text dimColor>{`  follow ${view.follow ? 'on' : 'off'}`}</Text>
        {held ? <Text color={theme.accent}>{held}</Text> : null}
        <Text dimColor>{`  ${flags}`}</Text>
        {view.search ? <Text color={theme.match}>{`  /${view.search.query} (${view.matchCount})`}</Text> : null}
        {view.filter ? <Text color={theme.match}>{`  &${view.filter.query}`}</Text> : null}
        <Text color={tail.state === 'error' ? theme.error : undefined}>{state}</Text>
      </Text>
      {containers.length > 0 ? (
        <LogLines lines={view.lines} search={view.search} currentMatchSeq={view.currentMatchSeq} timestamps={view.timestamps} wrap={view.wrap} colors={view.colors} offset={view.offset} width={width} height={bodyHeight} theme={theme} sourceWidth={sourceWidth} sourceColors={sourceColors} />
      ) : (
        <Text dimColor>select a container in the containers pane (1) first; m marks several for a merged view</Text>
      )}
    </Box>
  );
}
