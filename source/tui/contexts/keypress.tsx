// One input listener for the whole app. Handlers register on a layer (overlays above panes
// above global keys); a key goes to the highest, most recent handler first and stops at the
// first that takes it. That keeps a confirm dialog from also triggering the pane below it.
import React, { createContext, useContext, useLayoutEffect, useMemo, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { keyName, type KeyPress } from '../keys.js';

export const LAYER = { global: 0, pane: 10, overlay: 100 } as const;

const PLAIN_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * Ink hands over a chunk of plain input as one string: keys typed faster than it reads
 * (or pasted), like "web⏎⏎", arrive together. Enter, Tab and Backspace inside such a chunk
 * are keys of their own; the text between them stays one piece, as a paste.
 */
export function keyPresses(input: string, key: Key): KeyPress[] {
  if (input.length < 2 || !/[\r\t\x7f]/.test(input)) return [{ name: keyName(input, key), input, key }];
  return (input.match(/[\r\t\x7f]|[^\r\t\x7f]+/g) ?? []).map((part) => {
    const partKey: Key = { ...PLAIN_KEY, return: part === '\r', tab: part === '\t', backspace: part === '\x7f' };
    const partInput = part.length === 1 && /[\r\t\x7f]/.test(part) ? '' : part;
    return { name: keyName(partInput, partKey), input: partInput, key: partKey };
  });
}

export type KeyHandler = (press: KeyPress) => boolean;

interface Entry {
  handler: { current: KeyHandler };
  layer: number;
  order: number;
}

interface Registry {
  add(entry: Omit<Entry, 'order'>): () => void;
}

const KeypressContext = createContext<Registry | undefined>(undefined);

export function KeypressProvider({ active, children }: { active: boolean; children: React.ReactNode }) {
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
  useInput((input, key) => {
    for (const press of keyPresses(input, key)) {
      for (const entry of entries.current) if (entry.handler.current(press)) break;
    }
  }, { isActive: active });
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
