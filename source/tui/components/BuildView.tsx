// A build's header (what, how long, how far; it stays put), then its steps and RUN output: the
// tail that fits (or `fromEnd` lines further up), then how it ended.
import React from 'react';
import { Box, Text } from 'ink';
import { buildLines, type BuildLog } from '../model/build-log.js';
import type { Theme } from '../theme.js';

export interface BuildViewProps {
  log?: BuildLog;
  now: number;
  fromEnd: number; // lines scrolled up from the end
  width: number;
  height: number;
  theme: Theme;
}

export function BuildView({ log, now, fromEnd, width, height, theme }: BuildViewProps) {
  if (!log) return <Text dimColor>no build yet — b starts one (context directory, Dockerfile, tag)</Text>;
  const [header, ...lines] = buildLines(log, now);
  const bodyHeight = Math.max(1, height - 1);
  const end = Math.max(Math.min(lines.length, bodyHeight), lines.length - fromEnd);
  const shown = [header, ...lines.slice(Math.max(0, end - bodyHeight), end)];
  const color = (kind: string) => (kind === 'ok' ? theme.ok : kind === 'error' ? theme.error : kind === 'warning' ? theme.warning : kind === 'title' ? theme.accent : undefined);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={color(line.kind)} dimColor={line.kind === 'cached' || line.kind === 'output'} bold={line.kind === 'title'}>{line.text || ' '}</Text>
      ))}
    </Box>
  );
}
