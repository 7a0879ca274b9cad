// The build this TUI runs: starts it on the engine, folds its progress events into a BuildLog
// (redrawn at most every REDRAW_MS), and keeps the last finished one to show when idle. A build
// another strata process starts (the events journal's "builder" messages, read while the pane is
// shown) is shown too, unless this TUI's own is running.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BuildOptions } from '../../engine/api.js';
import type { BuildRequest } from '../model/build-request.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { applyBuildEvent, failBuild, newBuildLog, type BuildLog } from '../model/build-log.js';
import { foldBuilderMessage } from '../model/build-journal.js';

export interface BuildControl {
  log?: BuildLog; // the running build, else the last finished one
  running: boolean;
  start(request: BuildRequest): void;
}

const REDRAW_MS = 100;

export function useBuild(active: boolean): BuildControl {
  const { engine } = useServices();
  const { act } = useStatus();
  const [log, setLog] = useState<BuildLog>();
  const [running, setRunning] = useState(false);
  const [other, setOther] = useState<BuildLog>(); // the latest build of another process
  // The journal is followed only while the pane is shown (following wakes each second); shown
  // again, it first replays what was journaled while hidden.
  const followedUntil = useRef(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const stop = new AbortController();
    void (async () => {
      try {
        for await (const message of engine.events({ since: new Date(followedUntil.current), signal: stop.signal })) {
          if (message.Type === 'builder') setOther((previous) => foldBuilderMessage(previous, message, process.pid));
        }
      } catch { /* the journal unreadable: only this TUI's builds are shown */ }
    })();
    return () => {
      followedUntil.current = Date.now();
      stop.abort();
    };
  }, [engine, active]);
  const otherRunning = other !== undefined && !other.result && !other.failure;
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!otherRunning || !active) return undefined; // its clock ticks while it is on screen
    const timer = setInterval(() => setTick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, [otherRunning, active]);
  const current = useRef<BuildLog | undefined>(undefined);
  const redraw = useRef<NodeJS.Timeout | undefined>(undefined);
  const busy = useRef(false);
  const flush = useCallback(() => {
    clearTimeout(redraw.current);
    redraw.current = undefined;
    setLog(current.current);
  }, []);
  // The clock of the running step ticks even while it prints nothing.
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(flush, 500);
    return () => clearInterval(timer);
  }, [running, flush]);
  useEffect(() => () => clearTimeout(redraw.current), []);
  const start = useCallback((request: BuildRequest) => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    current.current = newBuildLog(request.title);
    flush();
    const options: BuildOptions = {
      ...request.options,
      onEvent: (event) => {
        current.current = applyBuildEvent(current.current!, event);
        redraw.current ??= setTimeout(flush, REDRAW_MS);
      },
    };
    void act(request.command, async () => {
      try {
        return await engine.build(options);
      } catch (error) {
        const failure = error as { step?: number; commandExitCode?: number };
        current.current = failBuild(current.current!, { message: errorText(error), step: failure.step, commandExitCode: failure.commandExitCode });
        throw error;
      } finally {
        busy.current = false;
        setRunning(false);
        flush();
      }
    }, (result) => `built ${result.imageId.replace(/^sha256:/, '').slice(0, 12)}${result.tags.length ? ` (${result.tags.join(', ')})` : ''}, ${result.cached}/${result.steps} step(s) cached`);
  }, [act, engine, flush]);
  const shown = running || !other || (log && log.startedAt > other.startedAt) ? log : other;
  return { log: shown, running, start };
}
