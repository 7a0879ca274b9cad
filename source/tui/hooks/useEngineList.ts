// Containers and images as the engine lists them, re-read whenever the engine says they
// changed. A failed read keeps the last list and reports the error in the status bar.
import { useEffect, useState } from 'react';
import type { ContainerSummary, ImageSummary } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { useRefreshCounter, type RefreshTopic } from './useEngineEvents.js';

function useEngineList<T>(topic: RefreshTopic, read: () => Promise<T[]>): { items: T[]; loaded: boolean } {
  const { notify } = useStatus();
  const refresh = useRefreshCounter(topic);
  const [state, setState] = useState<{ items: T[]; loaded: boolean }>({ items: [], loaded: false });
  useEffect(() => {
    let current = true;
    read().then(
      (items) => current && setState({ items, loaded: true }),
      (error) => current && notify(`listing ${topic}: ${errorText(error)}`, 'error'),
    );
    return () => {
      current = false;
    };
    // `read` is a fresh closure each render; the refresh counter is what triggers a re-read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refresh, topic, notify]);
  return state;
}

export function useContainerList(): { containers: ContainerSummary[]; loaded: boolean } {
  const { engine } = useServices();
  const { items, loaded } = useEngineList('containers', () => engine.listContainers(true));
  return { containers: items, loaded };
}

export function useImageList(): { images: ImageSummary[]; loaded: boolean } {
  const { engine } = useServices();
  const { items, loaded } = useEngineList('images', () => engine.listImages());
  return { images: items, loaded };
}
