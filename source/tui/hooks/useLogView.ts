// The logs pane's view state and what its keys do: follow, scroll, timestamps, wrap, `/`
// search with n/N and `&` filter. Positions are line sequence numbers, so they hold while
// the ring buffer drops old lines underneath.
import { useMemo, useRef, useState } from 'react';
import type { LogBuffer, LogLine } from '../model/log-buffer.js';
import { findMatch, indexAtOrAfter, linesEndingAt, viewSeqs } from '../model/log-view.js';
import { textMatcher, type TextMatcher } from '../model/text-search.js';
import type { ActionHandlers } from './useKeymap.js';

export interface LogViewOptions {
  buffer: LogBuffer;
  version: number;
  height: number;
  width: number;
  prefixWidth: (timestamps: boolean) => number;
}

export interface LogView {
  lines: LogLine[];
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  search?: TextMatcher;
  filter?: TextMatcher;
  currentMatchSeq?: number;
  matchCount: number;
  shownCount: number;
  position: number; // 1-based index of the bottom line in the view
  handlers: ActionHandlers;
  /** Every line the view holds (all, or those the `&` filter keeps), oldest first. */
  viewLines(): LogLine[];
  /** The line `y` copies: the current match, else the bottom line on screen. */
  currentLine(): LogLine | undefined;
  setSearch(query: string): void;
  setFilter(query: string): void;
}

export function useLogView({ buffer, version, height, width, prefixWidth }: LogViewOptions): LogView {
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [searchQuery, setSearchQuery] = useState('');
  const [filterQuery, setFilterQuery] = useState('');
  const [anchorSeq, setAnchorSeq] = useState(0); // bottom line when not following
  const [currentMatchSeq, setCurrentMatchSeq] = useState<number>();

  const search = useMemo(() => textMatcher(searchQuery), [searchQuery]);
  const filter = useMemo(() => textMatcher(filterQuery), [filterQuery]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the buffer fills in place; `version` is what says it changed
  const seqs = useMemo(() => viewSeqs(buffer, filter), [buffer, version, filter]);
  const matchCount = useMemo(() => {
    if (!search) return 0;
    let n = 0;
    for (const seq of seqs) if (search.test(buffer.bySeq(seq)!.text)) n++;
    return n;
  }, [buffer, seqs, search]);

  const minBottom = Math.min(seqs.length - 1, height - 1);
  const bottom = follow ? seqs.length - 1 : Math.max(minBottom, Math.min(seqs.length - 1, indexAtOrAfter(seqs, anchorSeq)));
  const lines = linesEndingAt(buffer, seqs, bottom, height, width, wrap, prefixWidth(timestamps));

  const state = useRef({ seqs, bottom, height });
  state.current = { seqs, bottom, height };
  const scrollTo = (index: number) => {
    const { seqs: s, height: h } = state.current;
    if (s.length === 0) return;
    const clamped = Math.max(Math.min(s.length - 1, h - 1), Math.min(s.length - 1, index));
    setFollow(false);
    setAnchorSeq(s[clamped]);
  };
  const showMatch = (index: number) => {
    const { seqs: s, height: h } = state.current;
    setCurrentMatchSeq(s[index]);
    // Put the match mid-screen, with the lines around it visible.
    scrollTo(Math.min(s.length - 1, index + Math.floor(h / 2)));
  };
  const jumpToMatch = (matcher: TextMatcher | undefined, dir: 1 | -1, fromSeq?: number) => {
    const { seqs: s, bottom: b } = state.current;
    if (!matcher || s.length === 0) return;
    const from = fromSeq === undefined ? (dir === -1 ? s.length : b) : indexAtOrAfter(s, fromSeq);
    const found = findMatch(buffer, s, matcher, from, dir);
    if (found !== undefined) showMatch(found);
  };

  const handlers: ActionHandlers = {
    up: () => scrollTo(state.current.bottom - 1),
    down: () => scrollTo(state.current.bottom + 1),
    'page-up': () => scrollTo(state.current.bottom - Math.max(1, height - 1)),
    'page-down': () => scrollTo(state.current.bottom + Math.max(1, height - 1)),
    top: () => scrollTo(0),
    bottom: () => setFollow(true),
    follow: () => {
      if (follow) scrollTo(state.current.bottom);
      else setFollow(true);
    },
    timestamps: () => setTimestamps((t) => !t),
    wrap: () => setWrap((w) => !w),
    'next-match': search ? () => jumpToMatch(search, 1, currentMatchSeq) : undefined,
    'previous-match': search ? () => jumpToMatch(search, -1, currentMatchSeq) : undefined,
  };

  return {
    lines,
    follow,
    timestamps,
    wrap,
    search,
    filter,
    currentMatchSeq,
    matchCount,
    shownCount: seqs.length,
    position: bottom + 1,
    handlers,
    viewLines: () => state.current.seqs.map((seq) => buffer.bySeq(seq)).filter((l): l is LogLine => l !== undefined),
    currentLine: () => buffer.bySeq(currentMatchSeq ?? state.current.seqs[state.current.bottom] ?? -1),
    setSearch: (query) => {
      setSearchQuery(query);
      setCurrentMatchSeq(undefined);
      // The newest match first: in a log, the recent past is what one looks for.
      jumpToMatch(textMatcher(query), -1);
    },
    setFilter: (query) => {
      setFilterQuery(query);
      setFollow(true);
    },
  };
}
