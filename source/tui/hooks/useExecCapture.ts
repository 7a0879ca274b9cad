// Runs a typed command in a container (docker exec without -it) and shows what it printed,
// stdout and stderr as they came, with its exit code, in the text overlay.
import { useCallback } from 'react';
import type { ContainerRef } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand } from '../model/cli-command.js';
import { execOutputLines, OutputCollector } from '../model/exec-output.js';

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
      const code = await handle.exited;
      open({ kind: 'text', title: `${command}  (exit ${code})`, lines: execOutputLines(output.text()) });
      return code;
    }, (code) => `${command}: exit ${code}`);
  }, [engine, act, open]);
}
