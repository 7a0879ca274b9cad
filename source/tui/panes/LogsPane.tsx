// Live log of the selected container: follows, scrolls, searches and filters; see useLogView.
import React from 'react';
import { Box, Text } from 'ink';
import { LogLines, logPrefixWidth } from '../components/LogLines.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useLogTail } from '../hooks/useLogTail.js';
import { useLogView } from '../hooks/useLogView.js';
import type { PaneProps } from './pane-props.js';

export function LogsPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const nav = useNavigation();
  const overlay = useOverlay();
  const container = nav.container;
  const tail = useLogTail(container?.id, active);
  const bodyHeight = Math.max(1, height - 1);
  const view = useLogView({ buffer: tail.buffer, version: tail.version, height: bodyHeight, width, prefixWidth: logPrefixWidth });

  useKeymap(['logs'], {
    ...view.handlers,
    search: () => overlay.open({ kind: 'prompt', label: '/', initial: view.search?.query ?? '', onSubmit: view.setSearch }),
    filter: () => overlay.open({ kind: 'prompt', label: '&', initial: view.filter?.query ?? '', onSubmit: view.setFilter }),
    back: () => {
      if (view.search || view.filter) {
        view.setSearch('');
        view.setFilter('');
      } else nav.show('containers');
    },
  }, { active });

  const { theme } = config;
  const flags = [`follow ${view.follow ? 'on' : 'off'}`, `timestamps ${view.timestamps ? 'on' : 'off'}`, `wrap ${view.wrap ? 'on' : 'off'}`].join('  ');
  const state = tail.state === 'ended' ? '  (log ended)' : tail.state === 'error' ? `  error: ${tail.error}` : '';
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>{container ? `logs ${container.name}` : 'logs'}</Text>
        <Text dimColor>{`  ${flags}  line ${view.position}/${view.shownCount}`}</Text>
        {view.search ? <Text color={theme.match}>{`  /${view.search.query} (${view.matchCount})`}</Text> : null}
        {view.filter ? <Text color={theme.match}>{`  &${view.filter.query}`}</Text> : null}
        <Text color={tail.state === 'error' ? theme.error : undefined}>{state}</Text>
      </Text>
      {container ? (
        <LogLines lines={view.lines} search={view.search} currentMatchSeq={view.currentMatchSeq} timestamps={view.timestamps} wrap={view.wrap} width={width} height={bodyHeight} theme={theme} />
      ) : (
        <Text dimColor>select a container in the containers pane (1) first</Text>
      )}
    </Box>
  );
}
