// The visible log lines: a stream mark (E for stderr, so it shows without colour), an
// optional timestamp, the container's name in a merged view, the text in its own ANSI colours
// (or stripped) with every search match in inverse video, wrapped or cut with « » markers at
// the columns the view is scrolled to. Colours are parsed here, for the lines on screen only.
import React from 'react';
import { Box, Text } from 'ink';
import type { LogLine } from '../model/log-buffer.js';
import { lineRows, type RowSegment } from '../model/log-rows.js';
import { lineSpans, styledText } from '../model/sgr.js';
import type { TextMatcher } from '../model/text-search.js';
import type { Theme } from '../theme.js';

export interface LogLinesProps {
  lines: readonly LogLine[];
  search?: TextMatcher;
  currentMatchSeq?: number;
  timestamps: boolean;
  wrap: boolean;
  colors?: boolean; // the lines' own colours (default on)
  offset?: number; // columns scrolled right, wrap off
  width: number;
  height: number;
  theme: Theme;
  sourceWidth?: number; // a merged view: room for the container's name
  sourceColors?: ReadonlyMap<string, string | undefined>;
}

export const TIMESTAMP_WIDTH = 13;
export const MAX_SOURCE_WIDTH = 16;

export function logPrefixWidth(timestamps: boolean, sourceWidth = 0): number {
  return 2 + (timestamps ? TIMESTAMP_WIDTH : 0) + (sourceWidth ? sourceWidth + 1 : 0);
}

/** Room for the longest container name of a merged view (0 for a single container). */
export function sourceWidthFor(names: readonly string[]): number {
  return names.length < 2 ? 0 : Math.min(MAX_SOURCE_WIDTH, Math.max(...names.map((n) => n.length)));
}

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

function clock(time: string): string {
  const t = new Date(time);
  return Number.isNaN(t.getTime()) ? ''.padEnd(12) : t.toISOString().slice(11, 23);
}

// One string with its own SGR sequences per row rather than a <Text> per segment: a row of a
// coloured log can hold dozens of segments, and Ink's cost is per element.
function rowText(segments: readonly RowSegment[], theme: Theme): string {
  let out = '';
  for (const s of segments) {
    if (s.marker) out += styledText(s.text, { dim: true });
    else if (s.match) out += styledText(s.text, { inverse: true, fg: theme.match });
    else out += s.style ? styledText(s.text, s.style) : s.text;
  }
  return out;
}

export function LogLines({ lines, search, currentMatchSeq, timestamps, wrap, colors = true, offset = 0, width, height, theme, sourceWidth = 0, sourceColors }: LogLinesProps) {
  const prefix = logPrefixWidth(timestamps, sourceWidth);
  const textWidth = Math.max(1, width - prefix);
  const rows: React.ReactNode[] = [];
  for (const line of lines) {
    // Wrap off, only the columns up to the right edge need their colours.
    const spans = colors ? lineSpans(line, wrap ? Infinity : offset + textWidth) : [];
    const cut = lineRows(line.text, spans, search ? search.ranges(line.text) : [], textWidth, wrap, offset);
    const isCurrent = line.seq === currentMatchSeq;
    cut.forEach((segs, r) => {
      const mark = r > 0 ? '  ' : isCurrent ? '› ' : line.stream === 'stderr' ? 'E ' : '  ';
      rows.push(
        <Text key={`${line.seq}:${r}`} wrap="truncate-end">
          <Text color={line.stream === 'stderr' ? theme.stderr : undefined} bold={isCurrent}>{mark}</Text>
          {timestamps ? <Text dimColor>{r === 0 ? clock(line.time) + ' ' : ' '.repeat(TIMESTAMP_WIDTH)}</Text> : null}
          {sourceWidth ? <Text color={sourceColors?.get(line.source ?? '')}>{(r === 0 ? fit(line.source ?? '', sourceWidth) : ' '.repeat(sourceWidth)) + ' '}</Text> : null}
          <Text>{rowText(segs, theme)}</Text>
        </Text>,
      );
    });
  }
  // Wrapped lines may overflow at the top: keep the newest rows.
  return <Box flexDirection="column" height={height}>{rows.slice(-height)}</Box>;
}
