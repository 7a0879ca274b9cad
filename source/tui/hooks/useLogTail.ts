// Follows a container's log into a bounded ring buffer. Lines arrive as fast as the engine
// reads them; the screen is told about them at most `fps` times a second, and only while the
// pane is shown — so a container printing 20k lines/s costs a bounded amount of memory and
// redraws.
import { useEffect, useRef, useState } from 'react';
import { LogBuffer } from '../model/log-buffer.js';
import { useServices } from '../contexts/services.js';
import { errorText } from '../contexts/status.js';

export type TailState = 'idle' | 'reading' | 'ended' | 'error';

export interface LogTail {
  buffer: LogBuffer;
  version: number; // changes when lines were added
  state: TailState;
  error?: string;
}

export function useLogTail(ref: string | undefined, active: boolean, restartKey = 0): LogTail {
  const { engine, config } = useServices();
  const bufferRef = useRef<LogBuffer>(new LogBuffer(config.logBufferLines));
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ state: TailState; error?: string }>({ state: 'idle' });
  const dirty = useRef(false);
  const activeRef = useRef(active);
  activeRef.current = active;

  useEffect(() => {
    bufferRef.current = new LogBuffer(config.logBufferLines);
    setVersion((v) => v + 1);
    if (!ref) {
      setState({ state: 'idle' });
      return;
    }
    const abort = new AbortController();
    setState({ state: 'reading' });
    void (async () => {
      try {
        for await (const entry of engine.readLogs(ref, { follow: true, tail: config.logTail, signal: abort.signal })) {
          bufferRef.current.push(entry);
          dirty.current = true;
        }
        if (!abort.signal.aborted) setState({ state: 'ended' });
      } catch (error) {
        if (!abort.signal.aborted) setState({ state: 'error', error: errorText(error) });
      }
    })();
    return () => abort.abort();
  }, [engine, ref, restartKey, config.logBufferLines, config.logTail]);

  useEffect(() => {
    if (!active) return;
    const flush = setInterval(() => {
      if (!dirty.current) return;
      dirty.current = false;
      setVersion((v) => v + 1);
    }, Math.ceil(1000 / config.logFps));
    return () => clearInterval(flush);
  }, [active, config.logFps]);

  return { buffer: bufferRef.current, version, state: state.state, error: state.error };
}
