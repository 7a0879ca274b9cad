// One input listener for the whole app. Handlers register on a layer (overlays above panes
// above global keys); a key goes to the highest, most recent handler first and stops at the
// first that takes it. That keeps a confirm dialog from also triggering the pane below it.
import React, { createContext, useContext, useEffect, useMemo, useRef } from 'react';
import { useInput } from 'ink';
import { keyName, type KeyPress } from '../keys.js';

export const LAYER = { global: 0, pane: 10, overlay: 100 } as const;

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
    const press: KeyPress = { name: keyName(input, key), input, key };
    for (const entry of entries.current) if (entry.handler.current(press)) return;
  }, { isActive: active });
  return <KeypressContext.Provider value={registry}>{children}</KeypressContext.Provider>;
}

export function useKeypress(handler: KeyHandler, options: { layer: number; active?: boolean }): void {
  const registry = useContext(KeypressContext);
  if (!registry) throw new Error('useKeypress outside KeypressProvider');
  const ref = useRef(handler);
  ref.current = handler;
  const active = options.active ?? true;
  useEffect(() => (active ? registry.add({ handler: ref, layer: options.layer }) : undefined), [registry, active, options.layer]);
}
