// Inspect (what `strata inspect` prints: a JSON array indented by 4) or any text already cut
// into lines (history, exec output), scrollable and searchable as in less: / types a query
// (smart case), n/N go to the next/previous matching line, matches are highlighted. Long
// lines wrap (a path in inspect reads whole); search and scrolling go by screen rows.
import React, { useMemo, useRef, useState } from 'react';
import { JsonView } from '../components/JsonView.js';
import { ALWAYS_GLOBAL, LAYER, useKeypress } from '../contexts/keypress.js';
import { useTextInput } from '../hooks/useTextInput.js';
import { firstMatchFrom, matchingLines, nextMatch, offsetShowing, wrapLines } from '../model/line-search.js';
import { textMatcher } from '../model/text-search.js';

export function inspectLines(value: unknown): string[] {
  return JSON.stringify(value, null, 4).split('\n');
}

const CHROME_COLUMNS = 4; // the border and padding either side

export function JsonOverlay({ title, value, lines: given, width, height, close, accent }: { title: string; value?: unknown; lines?: string[]; width: number; height: number; close: () => void; accent?: string }) {
  const lines = useMemo(() => wrapLines(given ?? inspectLines(value), width - CHROME_COLUMNS), [given, value, width]);
  const [offset, setOffset] = useState(0);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState<number>();
  const [typing, setTyping] = useState(false);
  const before = useRef({ query: '', offset: 0, current: undefined as number | undefined });
  const view = Math.max(1, height - 3 - (typing || query ? 1 : 0));
  const last = Math.max(0, lines.length - view);
  const go = (to: number) => setOffset(Math.max(0, Math.min(last, to)));
  const matcher = useMemo(() => textMatcher(query), [query]);
  const matches = useMemo(() => matchingLines(lines, matcher), [lines, matcher]);
  const jumpTo = (line: number | undefined) => {
    setCurrent(line);
    if (line !== undefined) setOffset(offsetShowing(line, view, lines.length));
  };
  const input = useTextInput('', (typed) => {
    // Incremental, as less and vim do: each key shows the first match from where the search began.
    setQuery(typed);
    const found = firstMatchFrom(matchingLines(lines, textMatcher(typed)), before.current.offset);
    if (found === undefined) {
      setCurrent(undefined);
      setOffset(before.current.offset);
    } else jumpTo(found);
  });
  useKeypress((press) => {
    if (ALWAYS_GLOBAL.has(press.name)) return false;
    if (typing) {
      if (press.name === 'enter') setTyping(false);
      else if (press.name === 'esc') {
        setTyping(false);
        setQuery(before.current.query);
        setOffset(before.current.offset);
        setCurrent(before.current.current);
      } else input.edit(press);
      return true;
    }
    switch (press.name) {
      case '/':
        before.current = { query, offset, current };
        input.set('');
        setTyping(true);
        break;
      case 'n': jumpTo(nextMatch(matches, current ?? offset - 1, 1)); break;
      case 'N': jumpTo(nextMatch(matches, current ?? offset, -1)); break;
      case 'esc':
        if (query) {
          setQuery('');
          setCurrent(undefined);
        } else close();
        break;
      case 'q': case 'i': case 'h': close(); break;
      case 'up': case 'k': go(offset - 1); break;
      case 'down': case 'j': go(offset + 1); break;
      case 'pgup': case 'ctrl-b': go(offset - view); break;
      case 'pgdn': case 'ctrl-f': case 'space': go(offset + view); break;
      case 'g': case 'home': go(0); break;
      case 'G': case 'end': go(last); break;
    }
    return true;
  }, { layer: LAYER.overlay });
  const search = typing || query
    ? { query: typing ? input.value : query, cursor: typing ? input.cursor : undefined, matches: matches.length, current: current === undefined ? undefined : matches.indexOf(current) + 1 }
    : undefined;
  return <JsonView title={title} lines={lines} offset={offset} height={view} matcher={matcher} currentLine={current} search={search} accent={accent} />;
}
