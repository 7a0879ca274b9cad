// The container and image lists, read once for the whole app and re-read when the engine says
// they changed (and, for the uptime column, now and then while the containers pane shows).
// Every pane reads them from here: one engine call per change, not one per pane.
import React, { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary, ImageSummary } from '../../engine/api.js';
import { useRefreshCounter, type RefreshTopic } from '../hooks/useEngineEvents.js';
import { usePoll } from '../hooks/usePoll.js';
import { useNavigation } from './navigation.js';
import { useServices } from './services.js';
import { errorText, useStatus } from './status.js';

/**
 * "Up 3 minutes" is the engine's text as of the last read: how soon it goes stale depends on
 * its unit, so re-read that often (seconds: 10 s; minutes: 30 s; longer: 5 min).
 */
export function uptimeRefreshMs(containers: readonly ContainerSummary[]): number {
  const texts = containers.filter((c) => c.status === 'running' || c.status === 'paused').map((c) => c.statusText);
  if (texts.some((t) => /second/i.test(t))) return 10_000;
  if (texts.some((t) => /minute/i.test(t))) return 30_000;
  return 300_000;
}

export interface EngineList<T> {
  items: T[];
  loaded: boolean;
}

interface Lists {
  containers: EngineList<ContainerSummary>;
  images: EngineList<ImageSummary>;
}

const ListsContext = createContext<Lists | undefined>(undefined);

/** A list that a failed read leaves as it was (the error goes to the status bar) and an unchanged one does not redraw. */
function useEngineList<T>(topic: RefreshTopic, read: () => Promise<T[]>, pollMs: number | undefined): EngineList<T> {
  const { notify } = useStatus();
  const refresh = useRefreshCounter(topic);
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<EngineList<T>>({ items: [], loaded: false });
  const shown = useRef('');
  usePoll(() => setTick((n) => n + 1), pollMs ?? 0, pollMs !== undefined, false);
  useEffect(() => {
    let current = true;
    read().then(
      (items) => {
        if (!current) return;
        const text = JSON.stringify(items);
        if (text === shown.current) return;
        shown.current = text;
        setState({ items, loaded: true });
      },
      (error) => current && notify(`listing ${topic}: ${errorText(error)}`, 'error'),
    );
    return () => {
      current = false;
    };
    // `read` is a fresh closure each render; the refresh counter is what triggers a re-read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refresh, tick, topic, notify]);
  return state;
}

export function ListsProvider({ children }: { children: React.ReactNode }) {
  const { engine } = useServices();
  const nav = useNavigation();
  const [uptimeMs, setUptimeMs] = useState<number>();
  const containers = useEngineList('containers', () => engine.listContainers(true), nav.pane === 'containers' ? uptimeMs : undefined);
  const images = useEngineList('images', () => engine.listImages(), undefined);
  useEffect(() => setUptimeMs(uptimeRefreshMs(containers.items)), [containers.items]);
  const value = useMemo(() => ({ containers, images }), [containers, images]);
  return <ListsContext.Provider value={value}>{children}</ListsContext.Provider>;
}

export function useLists(): Lists {
  const lists = useContext(ListsContext);
  if (!lists) throw new Error('useLists outside ListsProvider');
  return lists;
}
