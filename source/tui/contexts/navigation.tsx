// Which pane is shown and which container the panes are about. The containers pane's
// selection is the container the logs and stats panes follow.
import React, { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { PaneId } from '../keymap.js';

export const PANES: ReadonlyArray<{ id: PaneId; title: string }> = [
  { id: 'containers', title: 'Containers' },
  { id: 'images', title: 'Images' },
  { id: 'logs', title: 'Logs' },
  { id: 'stats', title: 'Stats' },
];

export interface ContainerRef {
  id: string;
  name: string;
}

export interface Navigation {
  pane: PaneId;
  container?: ContainerRef;
  show(pane: PaneId): void;
  cycle(step: 1 | -1): void;
  selectContainer(container: ContainerRef | undefined): void;
  /** A container the containers pane should move its cursor to once it lists it. */
  pendingFocus?: string;
  focusContainer(id: string | undefined): void;
}

const NavigationContext = createContext<Navigation | undefined>(undefined);

export function NavigationProvider({ initialPane = 'containers', children }: { initialPane?: PaneId; children: React.ReactNode }) {
  const [pane, setPane] = useState<PaneId>(initialPane);
  const [container, setContainer] = useState<ContainerRef>();
  const [pendingFocus, focusContainer] = useState<string>();
  const cycle = useCallback((step: 1 | -1) => setPane((current) => {
    const at = PANES.findIndex((p) => p.id === current);
    return PANES[(at + step + PANES.length) % PANES.length].id;
  }), []);
  const selectContainer = useCallback((next: ContainerRef | undefined) => {
    setContainer((current) => (current?.id === next?.id && current?.name === next?.name ? current : next));
  }, []);
  const value = useMemo(() => ({ pane, container, show: setPane, cycle, selectContainer, pendingFocus, focusContainer }), [pane, container, cycle, selectContainer, pendingFocus]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation outside NavigationProvider');
  return nav;
}
