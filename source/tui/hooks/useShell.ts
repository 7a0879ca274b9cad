// Opens an interactive shell in a container, bash where the image has it, else sh: in the
// shell dock beside the lists (they stay live), or with the whole terminal handed to it.
import { useCallback } from 'react';
import type { EngineApi } from '../../engine/api.js';
import type { ContainerRef } from '../contexts/navigation.js';
import { useServices } from '../contexts/services.js';
import { useShells } from '../contexts/shells.js';
import { useStatus } from '../contexts/status.js';
import { cliCommand } from '../model/cli-command.js';

export const SHELLS = ['bash', 'sh'] as const;

/** The first of SHELLS that runs in the container (`true` through it exits 0); sh when none answers. */
export async function findShell(engine: EngineApi, id: string): Promise<string> {
  for (const shell of SHELLS.slice(0, -1)) {
    const works = await engine.exec(id, { cmd: [shell, '-c', 'exit 0'] }, 'pipe').then(async ({ handle, child }) => {
      child.stdout?.resume();
      child.stderr?.resume();
      child.stdin?.end();
      return (await handle.exited) === 0;
    }, () => false);
    if (works) return shell;
  }
  return SHELLS[SHELLS.length - 1];
}

export function useShell(): { inDock: (container: ContainerRef) => void; fullTerminal: (container: ContainerRef) => void } {
  const { engine, terminal } = useServices();
  const { act, notify } = useStatus();
  const shells = useShells();
  const { open } = shells;

  // The command log shows the shell that runs, found first: what the user would type.
  const inDock = useCallback((container: ContainerRef) => {
    void findShell(engine, container.id).then((shell) => act(cliCommand('exec', '-it', container.name, shell), async () => {
      const spec = await engine.execSpecPath(container.id, { cmd: [shell], tty: true, interactive: true });
      await open(container.name, spec.shim, spec.args);
    }, `shell in ${container.name}: Ctrl-G gives the keys back to the lists`));
  }, [engine, act, open]);

  const fullTerminal = useCallback((container: ContainerRef) => {
    if (!terminal) {
      notify('no terminal to hand over to a shell', 'error');
      return;
    }
    void findShell(engine, container.id).then((shell) => act(cliCommand('exec', '-it', container.name, shell), async () => {
      const spec = await engine.execSpecPath(container.id, { cmd: [shell], tty: true, interactive: true });
      const { runInPty } = await import('../terminal/pty-session.js'); // node-pty with the first shell only
      const code = await terminal.handOver(() => runInPty(spec.shim, spec.args));
      if (code !== 0 && code !== 130) throw new Error(`shell exited with ${code}`);
    }, `shell in ${container.name} closed`));
  }, [engine, terminal, act, notify]);

  return { inDock, fullTerminal };
}
