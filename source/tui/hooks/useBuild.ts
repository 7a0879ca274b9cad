// The build this TUI runs: starts it on the engine, folds its progress events into a BuildLog
// (redrawn at most every REDRAW_MS), and keeps the last finished one to show when idle.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BuildOptions } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { applyBuildEvent, failBuild, newBuildLog, type BuildLog } from '../model/build-log.js';

export interface BuildControl {
  log?: BuildLog; // the running build, else the last finished one
  running: boolean;
  start(request: { context: string; dockerfile?: string; tag?: string }): void;
}

const REDRAW_MS = 100;

/** The `strata build …` words for a request, for the command log. */
export function buildCommand(request: { context: string; dockerfile?: string; tag?: string }): string {
  const q = (s: string) => (/^[\w./:@-]+$/.test(s) ? s : JSON.stringify(s));
  return ['strata build', ...(request.tag ? ['-t', q(request.tag)] : []), ...(request.dockerfile ? ['-f', q(request.dockerfile)] : []), q(request.context)].join(' ');
}

export function useBuild(): BuildControl {
  const { engine } = useServices();
  const { act } = useStatus();
  const [log, setLog] = useState<BuildLog>();
  const [running, setRunning] = useState(false);
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
  const start = useCallback((request: { context: string; dockerfile?: string; tag?: string }) => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    current.current = newBuildLog(request.tag ? `${request.context} (${request.tag})` : request.context);
    flush();
    const options: BuildOptions = {
      context: request.context,
      dockerfile: request.dockerfile || undefined,
      tags: request.tag ? [request.tag] : undefined,
      onEvent: (event) => {
        current.current = applyBuildEvent(current.current!, event);
        redraw.current ??= setTimeout(flush, REDRAW_MS);
      },
    };
    void act(buildCommand(request), async () => {
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
  return { log, running, start };
}
