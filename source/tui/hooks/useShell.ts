// Opens an interactive shell in a container, bash where the image has it, else sh: in the
// shell dock beside the lists (they stay live), or with the whole terminal handed to it.
import { useCallback } from 'react';
import type { ContainerRef } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useShells } from '../contexts/shells.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand } from '../model/cli-command.js';
import { runInPty } from '../terminal/pty-session.js';

// One exec that picks the shell inside the container: no second round trip to find bash.
export const SHELL_COMMAND = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

export function useShell(): { inDock: (container: ContainerRef) => void; fullTerminal: (container: ContainerRef) => void } {
  const { engine, terminal } = useServices();
  const { act, notify } = useStatus();
  const shells = useShells();
  const { open } = shells;

  const inDock = useCallback((container: ContainerRef) => {
    void act(cliCommand('exec', '-it', container.name, 'sh'), async () => {
      const spec = await engine.execSpecPath(container.id, { cmd: SHELL_COMMAND, tty: true, interactive: true });
      open(container.name, spec.shim, spec.args);
    }, `shell in ${container.name}: Ctrl-G gives the keys back to the lists`);
  }, [engine, act, open]);

  const fullTerminal = useCallback((container: ContainerRef) => {
    if (!terminal) {
      notify('no terminal to hand over to a shell', 'error');
      return;
    }
    void act(cliCommand('exec', '-it', container.name, 'sh'), async () => {
      const spec = await engine.execSpecPath(container.id, { cmd: SHELL_COMMAND, tty: true, interactive: true });
      const code = await terminal.handOver(() => runInPty(spec.shim, spec.args));
      if (code !== 0 && code !== 130) throw new Error(`shell exited with ${code}`);
    }, `shell in ${container.name} closed`);
  }, [engine, terminal, act, notify]);

  return { inDock, fullTerminal };
}
