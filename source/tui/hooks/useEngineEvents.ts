// Subscribes to the engine's events, including `store-changed` when another strata process
// touches the store: the TUI redraws on change instead of polling.
import { useEffect, useRef, useState } from 'react';
import type { EngineEvent } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';

export function useEngineEvents(listener: (event: EngineEvent) => void): void {
  const { engine } = useServices();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => engine.on((event) => ref.current(event), { watchStore: true }), [engine]);
}

export type RefreshTopic = 'containers' | 'images' | 'volumes' | 'networks';

function touches(event: EngineEvent, topic: RefreshTopic): boolean {
  if (event.type === 'store-changed') return event.what === topic;
  if (event.type === 'container') return topic === 'containers';
  // Removing an image changes nothing about containers, but creating one from it changes its count.
  if (event.type === 'image') return topic === 'images';
  if (event.type === 'volume') return topic === 'volumes';
  if (event.type === 'network') return topic === 'networks';
  return false;
}

/**
 * A number that goes up when the topic changes. A burst of events (a script starting 50
 * containers) becomes one refresh, `debounceMs` after the last.
 */
export function useRefreshCounter(topic: RefreshTopic, debounceMs = 50): number {
  const [count, setCount] = useState(0);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  useEngineEvents((event) => {
    if (!touches(event, topic)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCount((n) => n + 1), debounceMs);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return count;
}
