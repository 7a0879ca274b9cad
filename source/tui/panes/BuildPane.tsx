// The build pane: b opens a form (context, Dockerfile, tag, build args, target, no cache; it
// remembers what was typed last) and starts the build; the pane follows its steps and output,
// shows builds another strata process runs, and keeps the last build's log when nothing runs.
import React, { useState } from 'react';
import { Box } from 'ink';
import { BuildView } from '../components/BuildView.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { buildRequest, type BuildFormValues } from '../model/build-request.js';
import { useBuild } from '../hooks/useBuild.js';
import { useKeymap } from '../hooks/useKeymap.js';
import type { PaneProps } from './pane-props.js';

export function BuildPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const overlay = useOverlay();
  const build = useBuild(active);
  const { notify } = useStatus();
  const [last, setLast] = useState<BuildFormValues>({ context: process.cwd() });
  const [fromEnd, setFromEnd] = useState(0);
  const page = Math.max(1, height - 1);
  const scroll = (by: number) => setFromEnd((n) => Math.max(0, n + by));
  useKeymap(['build', 'list'], {
    build: build.running ? undefined : () => overlay.open({
      kind: 'form',
      title: 'Build an image',
      fields: [
        { name: 'context', label: 'context', initial: last.context, hint: 'directory sent to the build' },
        { name: 'dockerfile', label: 'Dockerfile', initial: last.dockerfile, hint: 'empty: <context>/Dockerfile; relative: in the context' },
        { name: 'tag', label: 'tag', initial: last.tag, hint: 'name:tag (empty: untagged)' },
        { name: 'buildArgs', label: 'build args', initial: last.buildArgs, hint: 'KEY=VALUE …' },
        { name: 'target', label: 'target', initial: last.target, hint: 'stage to stop at (empty: the last)' },
        { name: 'noCache', label: 'no cache', initial: last.noCache, hint: 'y: run every step again' },
      ],
      onSubmit: (values) => {
        setLast(values);
        let request;
        try {
          request = buildRequest(values, process.cwd());
        } catch (error) {
          notify((error as Error).message, 'error');
          return;
        }
        setFromEnd(0);
        build.start(request);
      },
    }),
    up: () => scroll(1),
    down: () => scroll(-1),
    'page-up': () => scroll(page),
    'page-down': () => scroll(-page),
    top: () => setFromEnd(Number.MAX_SAFE_INTEGER / 2),
    bottom: () => setFromEnd(0),
  }, { active });
  return (
    <Box flexDirection="column" display={active ? 'flex' : 'none'} width={width} height={height}>
      <BuildView log={build.log} now={Date.now()} fromEnd={fromEnd} width={width} height={height} theme={config.theme} />
    </Box>
  );
}
