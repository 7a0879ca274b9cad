// The build pane: b opens a small form (context, Dockerfile, tag) and starts the build; the
// pane follows its steps and output, and keeps the last build's log when nothing runs.
import React, { useState } from 'react';
import { Box } from 'ink';
import { BuildView } from '../components/BuildView.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useBuild } from '../hooks/useBuild.js';
import { useKeymap } from '../hooks/useKeymap.js';
import type { PaneProps } from './pane-props.js';

export function BuildPane({ active, width, height }: PaneProps) {
  const { config } = useServices();
  const overlay = useOverlay();
  const build = useBuild();
  const [fromEnd, setFromEnd] = useState(0);
  const page = Math.max(1, height - 1);
  const scroll = (by: number) => setFromEnd((n) => Math.max(0, n + by));
  useKeymap(['build', 'list'], {
    build: build.running ? undefined : () => overlay.open({
      kind: 'form',
      title: 'Build an image',
      fields: [
        { name: 'context', label: 'context', initial: process.cwd(), hint: 'directory sent to the build' },
        { name: 'dockerfile', label: 'Dockerfile', hint: 'empty: <context>/Dockerfile' },
        { name: 'tag', label: 'tag', hint: 'name:tag (empty: untagged)' },
      ],
      onSubmit: (values) => {
        setFromEnd(0);
        build.start({ context: (values.context ?? '').trim() || '.', dockerfile: values.dockerfile?.trim() || undefined, tag: values.tag?.trim() || undefined });
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
