import React from 'react';
import { Box, Text } from 'ink';
import { TextField } from './TextField.js';
import { splitByMatches, type TextMatcher } from '../model/text-search.js';

export interface SearchLine {
  query: string;
  cursor?: number; // set while the query is typed
  matches: number; // matching lines
  current?: number; // 1-based: which of them is the current one
}

function Line({ text, matcher, current }: { text: string; matcher?: TextMatcher; current: boolean }) {
  if (!matcher) return <Text wrap="truncate-end">{text}</Text>;
  const parts = splitByMatches(text, matcher.ranges(text));
  return (
    <Text wrap="truncate-end" bold={current}>
      {parts.map((p, i) => (p.match ? <Text key={i} inverse>{p.text}</Text> : <Text key={i}>{p.text}</Text>))}
    </Text>
  );
}

export function JsonView({ title, lines, offset, height, matcher, currentLine, search, accent }: { title: string; lines: readonly string[]; offset: number; height: number; matcher?: TextMatcher; currentLine?: number; search?: SearchLine; accent?: string }) {
  const shown = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height + 3 + (search ? 1 : 0)}>
      <Text bold wrap="truncate-end">{title} <Text dimColor>{`lines ${offset + 1}-${offset + shown.length} of ${lines.length}  ↑↓ PgUp PgDn g G  / search  n N  Esc close`}</Text></Text>
      {shown.map((line, i) => <Line key={offset + i} text={line} matcher={matcher} current={offset + i === currentLine} />)}
      {search ? (
        <Box>
          <Text bold color={accent}>/</Text>
          {search.cursor !== undefined ? <TextField value={search.query} cursor={search.cursor} /> : <Text>{search.query}</Text>}
          <Text dimColor>{search.query === '' ? '' : search.matches === 0 ? '   no match' : `   ${search.current ? `${search.current}/` : ''}${search.matches} matching line${search.matches === 1 ? '' : 's'}  n N`}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
