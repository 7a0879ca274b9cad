// The cursor of a windowed list, held as the selected row's id so it stays on the same
// container when rows are added, removed or re-sorted under it.
import { useCallback, useRef, useState } from 'react';
import { reselect, windowStart } from '../model/window.js';
import { composing, type ActionHandlers } from './useKeymap.js';

export interface ListCursor {
  index: number;
  start: number; // first row on screen
  selectedId?: string;
  handlers: ActionHandlers; // up, down, page-up, page-down, top, bottom
  select(id: string): void;
}

/**
 * `focusId`: a row another pane selected (the containers and stats panes share theirs; never
 * this pane's own choice, whose echo could undo a newer key press). The cursor moves to it
 * whenever it changes, not only when the list first shows: a pane stays mounted while hidden,
 * so a cursor seeded once would keep its own, older row.
 */
export function useListCursor<T>(rows: readonly T[], idOf: (row: T) => string, height: number, focusId?: string): ListCursor {
  const [selectedId, setSelectedId] = useState<string | undefined>(focusId);
  const [followedId, setFollowedId] = useState<string | undefined>(focusId);
  if (focusId !== followedId) {
    // Adjusting state to a changed prop while rendering: React renders again before committing.
    setFollowedId(focusId);
    if (focusId !== undefined) setSelectedId(focusId);
  }
  const lastIndex = useRef(0);
  const lastStart = useRef(0);
  const index = reselect(rows, idOf, selectedId, lastIndex.current);
  lastIndex.current = index;
  const start = windowStart(index, rows.length, height, lastStart.current);
  lastStart.current = start;

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const indexRef = useRef(index);
  indexRef.current = index;
  const idOfRef = useRef(idOf); // callers pass a fresh arrow each render
  idOfRef.current = idOf;
  const moveTo = useCallback((target: number) => {
    const list = rowsRef.current;
    if (list.length === 0) return;
    const clamped = Math.min(Math.max(0, target), list.length - 1);
    lastIndex.current = clamped;
    indexRef.current = clamped; // the next move of a burst goes on from here, before a render
    setSelectedId(idOfRef.current(list[clamped]));
  }, []);
  const page = Math.max(1, height - 1);
  const handlers: ActionHandlers = {
    up: composing(() => moveTo(indexRef.current - 1)),
    down: composing(() => moveTo(indexRef.current + 1)),
    'page-up': composing(() => moveTo(indexRef.current - page)),
    'page-down': composing(() => moveTo(indexRef.current + page)),
    top: () => moveTo(0),
    bottom: () => moveTo(rowsRef.current.length - 1),
  };
  const selected = rows[index];
  return { index, start, selectedId: selected === undefined ? undefined : idOf(selected), handlers, select: setSelectedId };
}
