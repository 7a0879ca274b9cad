// The container, image, volume and network lists, read once for the whole app and re-read when the engine says
// they changed (its store watcher: no polling). Every pane reads them from here: one engine
// call per change, not one per pane.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary, ImageSummary, NetworkRecord, VolumeRecord } from '../../engine/api.js';
import { useRefreshCounter, type RefreshTopic } from '../hooks/useEngineEvents.js';
import { useServices } from './services.js';
import { errorText, useStatus } from './status.js';

export interface EngineList<T> {
  items: T[];
  loaded: boolean;
  readAt: number; // when the engine was asked: its "Up 5 seconds" is as of then
  /** Read again now: after an action failed because the store changed under it. */
  reload(): void;
}

interface Lists {
  containers: EngineList<ContainerSummary>;
  images: EngineList<ImageSummary>;
  volumes: EngineList<VolumeRecord>;
  networks: EngineList<NetworkRecord>;
}

const ListsContext = createContext<Lists | undefined>(undefined);

/** A list that a failed read leaves as it was (the error goes to the status bar) and an unchanged one does not redraw. */
function useEngineList<T>(topic: RefreshTopic, read: () => Promise<T[]>): EngineList<T> {
  const { notify } = useStatus();
  const refresh = useRefreshCounter(topic);
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const [state, setState] = useState<Omit<EngineList<T>, 'reload'>>({ items: [], loaded: false, readAt: 0 });
  const shown = useRef('');
  // `read` is a fresh closure each render; the refresh counter is what triggers a re-read.
  const readRef = useRef(read);
  readRef.current = read;
  useEffect(() => {
    let current = true;
    const readAt = Date.now();
    readRef.current().then(
      (items) => {
        if (!current) return;
        const text = JSON.stringify(items);
        if (text === shown.current) return;
        shown.current = text;
        setState({ items, loaded: true, readAt });
      },
      (error) => current && notify(`listing ${topic}: ${errorText(error)}`, 'error'),
    );
    return () => {
      current = false;
    };
  }, [refresh, reloads, topic, notify]);
  return useMemo(() => ({ ...state, reload }), [state, reload]);
}

export function ListsProvider({ children }: { children: React.ReactNode }) {
  const { engine } = useServices();
  const containers = useEngineList('containers', () => engine.listContainers(true));
  const images = useEngineList('images', () => engine.listImages());
  const volumes = useEngineList('volumes', () => engine.listVolumes());
  const networks = useEngineList('networks', () => engine.listNetworks());
  const value = useMemo(() => ({ containers, images, volumes, networks }), [containers, images, volumes, networks]);
  return <ListsContext.Provider value={value}>{children}</ListsContext.Provider>;
}

export function useLists(): Lists {
  const lists = useContext(ListsContext);
  if (!lists) throw new Error('useLists outside ListsProvider');
  return lists;
}
