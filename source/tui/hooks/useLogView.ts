// The logs pane's view state and what its keys do: follow, scroll up/down and sideways,
// timestamps, wrap, colours, `/` search with n/N and `&` filter (regular expressions, smart case). Where the view is lives in model/log-viewport.ts (a line's
// sequence number, so it holds while lines arrive and the ring buffer drops old ones). The
// position, search and filter belong to one log: another container (or another range read
// back) opens at its end, following.
import { useMemo, useRef, useState } from 'react';
import type { LogBuffer, LogLine } from '../model/log-buffer.js';
import { findMatch, indexAtOrAfter } from '../model/log-view.js';
import { FOLLOWING, centerOn, freeze, logWindow, placeTop, type Viewport } from '../model/log-viewport.js';
import { offsetShowing, sidewaysOffset } from '../model/log-rows.js';
import { patternMatcher, type PatternMatcher } from '../model/pattern-search.js';
import type { ActionHandlers } from './useKeymap.js';

export interface LogViewOptions {
  buffer: LogBuffer;
  version: number;
  height: number;
  width: number;
  prefixWidth: (timestamps: boolean) => number;
  colors?: boolean; // the lines' colours shown at first
}

export interface LogView {
  lines: LogLine[];
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  colors: boolean; // the lines' own ANSI colours drawn (else stripped)
  offset: number; // columns scrolled right, wrap off
  search?: PatternMatcher;
  filter?: PatternMatcher;
  currentMatchSeq?: number;
  matchCount: number;
  shownCount: number;
  position: number; // 1-based index of the bottom line in the view
  newLines: number; // lines that came since following stopped
  topDropped: boolean; // the ring buffer dropped the top line: the screen shows what was held
  handlers: ActionHandlers;
  /** Every line the view holds (all, or those the `&` filter keeps), oldest first. */
  viewLines(): LogLine[];
  /** The line `y` copies: the current match, else the bottom line on screen. */
  currentLine(): LogLine | undefined;
  /** Sets the `/` pattern; a pattern that is not a valid expression changes nothing and says why. */
  setSearch(query: string): string | undefined;
  setFilter(query: string): string | undefined;
  /** Scrolls half a screen sideways; false when there is nothing that way (wrap on, or at the edge). */
  scrollSideways(dir: 1 | -1): boolean;
}

/** What one log's view holds; a new buffer (another log) starts from LOG_START. */
interface PerLog {
  viewport: Viewport;
  searchQuery: string;
  filterQuery: string;
  currentMatchSeq?: number;
  offset: number;
}

const LOG_START: PerLog = { viewport: FOLLOWING, searchQuery: '', filterQuery: '', offset: 0 };

const matcherOf = (query: string) => patternMatcher(query).matcher;

export function useLogView({ buffer, version, height, width, prefixWidth, colors: colorsAtStart = true }: LogViewOptions): LogView {
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [colors, setColors] = useState(colorsAtStart);
  const [stored, setStored] = useState<{ buffer: LogBuffer; log: PerLog }>({ buffer, log: LOG_START });
  const log = stored.buffer === buffer ? stored.log : LOG_START;
  const { viewport, searchQuery, filterQuery, currentMatchSeq, offset } = log;

  const search = useMemo(() => matcherOf(searchQuery), [searchQuery]);
  const filter = useMemo(() => matcherOf(filterQuery), [filterQuery]);
  const size = useMemo(() => ({ height, width, wrap, prefixWidth: prefixWidth(timestamps) }), [height, width, wrap, prefixWidth, timestamps]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the buffer fills in place; `version` is what says it changed
  const win = useMemo(() => logWindow(buffer, filter, viewport, size), [buffer, version, filter, viewport, size]);
  const matchCount = useMemo(() => {
    if (!search) return 0;
    let n = 0;
    for (const seq of win.seqs) if (search.test(win.line(seq)?.text ?? '')) n++;
    return n;
  }, [win, search]);

  // Keys act on what is on screen now, not on what their closure saw.
  const state = useRef({ buffer, log, window: win, size });
  state.current = { buffer, log, window: win, size };
  // Two changes in one key (Esc clears search and filter) both count.
  const update = (change: Partial<PerLog>) => {
    const b = state.current.buffer;
    setStored((prev) => ({ buffer: b, log: { ...(prev.buffer === b ? prev.log : LOG_START), ...change } }));
  };
  const scrollTo = (index: number) => {
    const { buffer: b, log: l, window: w, size: s } = state.current;
    update({ viewport: placeTop(b, w, l.viewport, index, s) });
  };
  const matchMove = (matcher: PatternMatcher | undefined, dir: 1 | -1, fromSeq?: number): Partial<PerLog> => {
    const { buffer: b, log: l, window: w, size: s } = state.current;
    if (!matcher || w.seqs.length === 0) return {};
    const from = fromSeq === undefined ? (dir === -1 ? w.seqs.length : w.bottom) : indexAtOrAfter(w.seqs, fromSeq);
    const found = findMatch(b, w.seqs, matcher, from, dir);
    if (found === undefined) return {};
    return { currentMatchSeq: w.seqs[found], viewport: centerOn(b, w, l.viewport, found, s), offset: s.wrap ? l.offset : offsetShowing(matcher.ranges(w.line(w.seqs[found])?.text ?? '')[0], l.offset, s.width - s.prefixWidth) };
  };
  const page = Math.max(1, height - 1);

  const handlers: ActionHandlers = {
    up: () => scrollTo(state.current.window.top - 1),
    down: () => scrollTo(state.current.window.top + 1),
    'page-up': () => scrollTo(state.current.window.top - page),
    'page-down': () => scrollTo(state.current.window.top + page),
    top: () => scrollTo(0),
    bottom: () => update({ viewport: FOLLOWING }),
    follow: () => {
      const { buffer: b, log: l, window: w, size: s } = state.current;
      update({ viewport: l.viewport.follow ? freeze(b, w, l.viewport, s) : FOLLOWING });
    },
    timestamps: () => setTimestamps((t) => !t),
    wrap: () => setWrap((w) => !w),
    colors: () => setColors((c) => !c),
    'next-match': search ? () => update(matchMove(search, 1, currentMatchSeq)) : undefined,
    'previous-match': search ? () => update(matchMove(search, -1, currentMatchSeq)) : undefined,
  };

  return {
    lines: win.lines,
    follow: viewport.follow,
    timestamps,
    wrap,
    colors,
    offset: wrap ? 0 : offset,
    search,
    filter,
    currentMatchSeq,
    matchCount,
    shownCount: win.seqs.length,
    position: win.bottom + 1,
    newLines: win.newLines,
    topDropped: win.topDropped,
    handlers,
    viewLines: () => state.current.window.seqs.map((seq) => state.current.window.line(seq)).filter((l): l is LogLine => l !== undefined),
    currentLine: () => {
      const w = state.current.window;
      return w.line(state.current.log.currentMatchSeq ?? w.seqs[w.bottom] ?? -1);
    },
    setSearch: (query) => {
      const { matcher, error } = patternMatcher(query);
      if (error) return error;
      // The newest match first: in a log, the recent past is what one looks for.
      update({ searchQuery: query, currentMatchSeq: undefined, ...matchMove(matcher, -1) });
      return undefined;
    },
    setFilter: (query) => {
      const { error } = patternMatcher(query);
      if (error) return error;
      update({ filterQuery: query, viewport: FOLLOWING });
      return undefined;
    },
    scrollSideways: (dir) => {
      const { log: l, window: w, size: s } = state.current;
      if (s.wrap) return false;
      const next = sidewaysOffset(l.offset, dir, w.lines, s.width - s.prefixWidth);
      if (next === l.offset) return false;
      update({ offset: next });
      return true;
    },
  };
}

