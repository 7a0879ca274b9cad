// Follows the logs of one or several containers into one bounded ring buffer (each line
// marked with its container when there are several). Lines arrive as fast as the engine reads
// them; the screen is told about them at most `fps` times a second, and only while the pane
// is shown — so a container printing 20k lines/s costs a bounded amount of memory and redraws.
import { useEffect, useRef, useState } from 'react';
import type { LogReadOptions } from '../../engine/api.js';
import { LogBuffer } from '../model/log-buffer.js';
import type { ContainerRef } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { errorText } from '../contexts/status.js';

export type TailState = 'idle' | 'reading' | 'ended' | 'error';

export interface LogTail {
  buffer: LogBuffer;
  version: number; // changes when lines were added
  state: TailState;
  error?: string;
}

export function useLogTail(containers: readonly ContainerRef[], active: boolean, range: () => LogReadOptions, restartKey = 0): LogTail {
  const { engine, config } = useServices();
  const bufferRef = useRef<LogBuffer>(new LogBuffer(config.logBufferLines));
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ state: TailState; error?: string }>({ state: 'idle' });
  const dirty = useRef(false);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const activeRef = useRef(active);
  activeRef.current = active;
  // One redraw per frame interval at most, scheduled by the first line after a redraw: an
  // idle log (or a hidden pane) costs no timer at all.
  const scheduleRedraw = useRef(() => {
    dirty.current = true;
    if (timer.current || !activeRef.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      dirty.current = false;
      setVersion((v) => v + 1);
    }, Math.ceil(1000 / config.logFps));
  }).current;
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const key = containers.map((c) => `${c.id}:${c.name}`).join(',');

  useEffect(() => {
    bufferRef.current = new LogBuffer(config.logBufferLines);
    setVersion((v) => v + 1);
    if (containers.length === 0) {
      setState({ state: 'idle' });
      return;
    }
    const abort = new AbortController();
    const merged = containers.length > 1;
    let open = containers.length;
    setState({ state: 'reading' });
    for (const container of containers) {
      void (async () => {
        try {
          for await (const entry of engine.readLogs(container.id, { ...rangeRef.current(), follow: true, signal: abort.signal })) {
            bufferRef.current.push(entry, merged ? container.name : undefined);
            scheduleRedraw();
          }
          if (--open === 0 && !abort.signal.aborted) setState({ state: 'ended' });
        } catch (error) {
          if (!abort.signal.aborted) setState({ state: 'error', error: `${container.name}: ${errorText(error)}` });
        }
      })();
    }
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `containers` is keyed by `key`: a new array with the same containers is no change
  }, [engine, key, restartKey, config.logBufferLines, scheduleRedraw]);

  // Lines that came while hidden are drawn once the pane shows again.
  useEffect(() => {
    if (active && dirty.current) scheduleRedraw();
  }, [active, scheduleRedraw]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return { buffer: bufferRef.current, version, state: state.state, error: state.error };
}
