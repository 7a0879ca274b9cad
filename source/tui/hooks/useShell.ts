// Opens an interactive shell in a container: the engine gives the exec command line, node-pty
// runs it, and the whole terminal is handed to it until it exits.
import { useCallback } from 'react';
import type { ContainerRef } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand } from '../model/cli-command.js';
import { runInPty } from '../terminal/pty-session.js';

export function useShell(): (container: ContainerRef) => void {
  const { engine, terminal } = useServices();
  const { act, notify } = useStatus();
  return useCallback((container: ContainerRef) => {
    if (!terminal) {
      notify('no terminal to hand over to a shell', 'error');
      return;
    }
    void act(cliCommand('exec', '-it', container.name, 'sh'), async () => {
      const spec = await engine.execSpecPath(container.id, { cmd: ['sh'], tty: true, interactive: true });
      const code = await terminal.handOver(() => runInPty(spec.shim, spec.args));
      if (code !== 0 && code !== 130) throw new Error(`shell exited with ${code}`);
    }, `shell in ${container.name} closed`);
  }, [engine, terminal, act, notify]);
}
