// Per-layer progress of the pulls and pushes this TUI started, from the engine's progress events: what
// the images pane draws as bars while a pull runs (and a while after, to see how it ended).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useEngineEvents } from './useEngineEvents.js';

export interface LayerProgress {
  id: string; // short digest
  action: string; // Waiting, Downloading, Verifying Checksum, Pull complete, Already exists…
  current: number;
  total: number;
}

export interface PullProgress {
  ref?: string;
  verb?: 'pulling' | 'pushing';
  layers: LayerProgress[];
  begin(ref: string, verb?: 'pulling' | 'pushing'): void;
  end(): void;
}

const SHOWN_AFTER_MS = 8000;
const REDRAW_MS = 100;

export function usePullProgress(): PullProgress {
  const [state, setState] = useState<{ ref?: string; verb?: 'pulling' | 'pushing'; layers: LayerProgress[] }>({ layers: [] });
  const pulling = useRef(false);
  const layers = useRef(new Map<string, LayerProgress>());
  const redraw = useRef<NodeJS.Timeout | undefined>(undefined);
  const hide = useRef<NodeJS.Timeout | undefined>(undefined);
  const flush = useCallback(() => {
    redraw.current = undefined;
    setState((s) => ({ ...s, layers: [...layers.current.values()] }));
  }, []);
  useEngineEvents((event) => {
    if (event.type !== 'progress' || !pulling.current) return;
    layers.current.set(event.id, { id: event.id, action: event.action, current: event.current, total: event.total });
    // Downloads report often: one redraw per interval is enough for a bar.
    redraw.current ??= setTimeout(flush, REDRAW_MS);
  });
  useEffect(() => () => {
    clearTimeout(redraw.current);
    clearTimeout(hide.current);
  }, []);
  const begin = useCallback((ref: string, verb: 'pulling' | 'pushing' = 'pulling') => {
    clearTimeout(hide.current);
    pulling.current = true;
    layers.current = new Map();
    setState({ ref, verb, layers: [] });
  }, []);
  const end = useCallback(() => {
    pulling.current = false;
    clearTimeout(redraw.current);
    flush();
    hide.current = setTimeout(() => setState({ layers: [] }), SHOWN_AFTER_MS);
  }, [flush]);
  return { ...state, begin, end };
}
