// One input listener for the whole app; terminal/key-reader.ts turns each read into keys.
// Handlers register on a layer (overlays above panes above global keys); a key goes to the highest, most recent handler first and stops at the
// first that takes it. That keeps a confirm dialog from also triggering the pane below it.
import React, { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStdin } from 'ink';
import type { KeyPress } from '../keys.js';
import { readKeys } from '../terminal/key-reader.js';

export const LAYER = { global: 0, pane: 10, shell: 50, overlay: 100 } as const;

/** Keys an overlay that takes every other key still lets through: quit and suspend. */
export const ALWAYS_GLOBAL: ReadonlySet<string> = new Set(['ctrl-c', 'ctrl-z']);

/**
 * true: taken; 'composes': taken, and the same key again may be handled before a redraw (a cursor
 * move that reads its position from where the last one left it, not from the last render).
 */
export type KeyOutcome = boolean | 'composes';
export type KeyHandler = (press: KeyPress) => KeyOutcome;

const sameKey = (a: KeyPress, b: KeyPress | undefined) => b !== undefined && a.name === b.name && a.input === b.input && !b.afterEsc;

interface Entry {
  handler: { current: KeyHandler };
  layer: number;
  order: number;
}

interface Registry {
  add(entry: Omit<Entry, 'order'>): () => void;
}

const KeypressContext = createContext<Registry | undefined>(undefined);

/**
 * `bound`: the key names some binding uses. An Alt chord that none uses is Esc then the key — what
 * the user most likely typed when a busy moment let both arrive in one read.
 */
export function KeypressProvider({ active, bound, children }: { active: boolean; bound?: ReadonlySet<string>; children: React.ReactNode }) {
  const entries = useRef<Entry[]>([]);
  const counter = useRef(0);
  const registry = useMemo<Registry>(() => ({
    add(entry) {
      const full = { ...entry, order: counter.current++ };
      entries.current = [...entries.current, full].sort((a, b) => b.layer - a.layer || b.order - a.order);
      return () => {
        entries.current = entries.current.filter((e) => e !== full);
      };
    },
  }), []);
  // One key at a time: the next is handled only once what this one changed is drawn, because
  // handlers act on the state they were rendered with (React batches and defers the updates of
  // keys handled back to back, so five j in one read would all move from the same row). A run
  // of one key whose handler composes (cursor moves) is the exception: 100 j in one read are
  // applied together and drawn once (one frame, not 100: 4.8 s → a few ms on a loaded VM).
  const queue = useRef<KeyPress[]>([]);
  const busy = useRef(false);
  const [handled, setHandled] = useState(0);
  const handleNext = useCallback(() => {
    const press = queue.current.shift();
    if (!press) return;
    busy.current = true;
    for (const entry of entries.current) {
      const outcome = entry.handler.current(press);
      if (!outcome) continue;
      // the same key again, handed to the same handler before a redraw; one it takes is consumed
      // whether or not it composes, and one it does not take waits for every handler as usual
      for (let next = queue.current[0]; outcome === 'composes' && sameKey(press, next); next = queue.current[0]) {
        const nextOutcome = entry.handler.current(next);
        if (!nextOutcome) break;
        queue.current.shift();
        if (nextOutcome !== 'composes') break;
      }
      break;
    }
    setHandled((n) => n + 1);
  }, []);
  useEffect(() => {
    busy.current = false;
    handleNext();
  }, [handled, handleNext]);
  // Ink's stdin, read by us alone (no pane uses Ink's useInput): every key of a read, in order.
  const { stdin } = useStdin();
  // The first key waits for the rest of its read (a microtask), so a run of them composes from the first.
  const startSoon = useRef(false);
  useEffect(() => {
    if (!active) return undefined;
    return readKeys(stdin, (press) => {
      if (press.afterEsc && bound && !bound.has(press.name)) queue.current.push({ name: 'esc', input: '' }, press.afterEsc);
      else queue.current.push(press);
      if (busy.current || startSoon.current) return;
      startSoon.current = true;
      queueMicrotask(() => {
        startSoon.current = false;
        if (!busy.current) handleNext();
      });
    });
  }, [active, stdin, handleNext, bound]);
  return <KeypressContext.Provider value={registry}>{children}</KeypressContext.Provider>;
}

export function useKeypress(handler: KeyHandler, options: { layer: number; active?: boolean }): void {
  const registry = useContext(KeypressContext);
  if (!registry) throw new Error('useKeypress outside KeypressProvider');
  const ref = useRef(handler);
  ref.current = handler;
  const active = options.active ?? true;
  // Registered at commit, not after paint: a key typed right after a dialog opens must reach it.
  useLayoutEffect(() => (active ? registry.add({ handler: ref, layer: options.layer }) : undefined), [registry, active, options.layer]);
}
