// Follows the logs of one or several containers into one bounded ring buffer (each line
// marked with its container when there are several). The histories read back are merged by
// time once every log has been read up to its end; after that lines go in as they arrive.
// Lines arrive as fast as the engine reads them; the screen is told about them at most `fps`
// times a second, and only while the pane is shown — so a container printing 20k lines/s costs
// a bounded amount of memory and redraws.
import { useEffect, useRef, useState } from 'react';
import type { LogEntry, LogReadOptions } from '../../engine/api.js';
import { LogBuffer } from '../model/log-buffer.js';
import { mergeByTime } from '../model/log-merge.js';
import type { ContainerRef } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { errorText } from '../contexts/status.js';

export type TailState = 'idle' | 'reading' | 'ended' | 'error';

export interface LogTail {
  buffer: LogBuffer;
  version: number; // changes when lines were added
  historyLines?: number; // how many of the buffer's lines were read back (undefined until all are)
  state: TailState;
  error?: string;
}

export function useLogTail(containers: readonly ContainerRef[], active: boolean, range: () => LogReadOptions, restartKey = 0): LogTail {
  const { engine, config } = useServices();
  const bufferRef = useRef<LogBuffer>(new LogBuffer(config.logBufferLines));
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ state: TailState; error?: string }>({ state: 'idle' });
  const [historyLines, setHistoryLines] = useState<number>();
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
    const buffer = bufferRef.current;
    const merged = containers.length > 1;
    const source = (i: number) => (merged ? containers[i].name : undefined);
    let open = containers.length;
    // Each log's lines wait here until every log has been read to its end (only the newest
    // a buffer can hold: the rest would fall off it anyway).
    let pending: Array<Array<LogEntry & { index: number }>> | undefined = containers.map(() => []);
    let reading = containers.length;
    const caughtUp = () => {
      if (--reading > 0 || !pending || abort.signal.aborted) return;
      for (const entry of mergeByTime(pending)) buffer.push(entry, source(entry.index));
      pending = undefined;
      setHistoryLines(buffer.lastSeq + 1);
      scheduleRedraw();
    };
    setHistoryLines(undefined);
    setState({ state: 'reading' });
    containers.forEach((container, index) => {
      let readToEnd = false;
      const once = () => {
        if (readToEnd) return;
        readToEnd = true;
        caughtUp();
      };
      void (async () => {
        try {
          for await (const entry of engine.readLogs(container.id, { ...rangeRef.current(), follow: true, signal: abort.signal, caughtUp: once })) {
            const waiting = pending?.[index];
            if (waiting) {
              waiting.push({ ...entry, index });
              if (waiting.length >= 2 * buffer.capacity) waiting.splice(0, waiting.length - buffer.capacity);
              continue;
            }
            buffer.push(entry, source(index));
            scheduleRedraw();
          }
          if (--open === 0 && !abort.signal.aborted) setState({ state: 'ended' });
        } catch (error) {
          if (!abort.signal.aborted) setState({ state: 'error', error: `${container.name}: ${errorText(error)}` });
        } finally {
          once(); // a log that failed or ended before its end was reached holds up no other
        }
      })();
    });
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `containers` is keyed by `key`: a new array with the same containers is no change
  }, [engine, key, restartKey, config.logBufferLines, scheduleRedraw]);

  // Lines that came while hidden are drawn once the pane shows again.
  useEffect(() => {
    if (active && dirty.current) scheduleRedraw();
  }, [active, scheduleRedraw]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return { buffer: bufferRef.current, version, historyLines, state: state.state, error: state.error };
}
