// Runs a typed command in a container (docker exec without -it) and shows what it printed,
// stdout and stderr as they came, with its exit code, in the text overlay. Its stdin is closed;
// a command still running after a while is killed (one that wants a terminal belongs in e's shell).
import { useCallback } from 'react';
import type { ContainerRef } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand } from '../model/cli-command.js';
import { execOutputLines, OutputCollector } from '../model/exec-output.js';

export const EXEC_LIMIT_MS = 60_000;

export function useExecCapture(): (container: ContainerRef, cmd: string[]) => void {
  const { engine } = useServices();
  const { act } = useStatus();
  const { open } = useOverlay();
  return useCallback((container: ContainerRef, cmd: string[]) => {
    const command = cliCommand('exec', container.name, ...cmd);
    void act(command, async () => {
      const { handle, child } = await engine.exec(container.id, { cmd }, 'pipe');
      const output = new OutputCollector();
      child.stdout?.on('data', (chunk: Buffer) => output.add(chunk));
      child.stderr?.on('data', (chunk: Buffer) => output.add(chunk));
      child.stdin?.end();
      let killed = false;
      const limit = setTimeout(() => {
        killed = true;
        handle.kill('SIGKILL');
      }, EXEC_LIMIT_MS);
      const code = await handle.exited.finally(() => clearTimeout(limit));
      const ending = killed ? `killed after ${EXEC_LIMIT_MS / 1000} s` : `exit ${code}`;
      open({ kind: 'text', title: `${command}  (${ending})`, lines: execOutputLines(output.text()) });
      return ending;
    }, (ending) => `${command}: ${ending}`);
  }, [engine, act, open]);
}
