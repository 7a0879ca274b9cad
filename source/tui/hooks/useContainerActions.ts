// What each container key does: engine calls with their CLI equivalents, confirmations for
// the destructive ones, and the panes/dialogs the rest open.
import type { ContainerRow } from '../model/container-rows.js';
import { cliCommand } from '../model/cli-command.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import type { ActionHandlers } from './useKeymap.js';
import { useShell } from './useShell.js';

export function useContainerActions(row: ContainerRow | undefined): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  const shell = useShell();
  if (!row) return {};
  const { id, name, status } = row;
  const live = status === 'running' || status === 'paused';
  const run = (verb: string, call: () => Promise<unknown>, ...flags: string[]) => void act(cliCommand(verb, ...flags, name), call);
  return {
    start: () => run('start', () => engine.startContainer(id)),
    stop: () => run('stop', () => engine.stopContainer(id)),
    restart: () => run('restart', () => engine.restartContainer(id)),
    pause: () => (status === 'paused' ? run('unpause', () => engine.unpauseContainer(id)) : run('pause', () => engine.pauseContainer(id))),
    kill: () => overlay.open({ kind: 'confirm', message: `Kill ${name} (SIGKILL)?`, onConfirm: () => run('kill', () => engine.killContainer(id)) }),
    remove: () => overlay.open({
      kind: 'confirm',
      message: live ? `Remove ${name}? It is ${status}: it will be killed first.` : `Remove ${name}?`,
      onConfirm: () => (live ? run('rm', () => engine.removeContainer(id, true), '-f') : run('rm', () => engine.removeContainer(id))),
    }),
    rename: () => overlay.open({
      kind: 'prompt',
      label: `Rename ${name} to: `,
      initial: name,
      onSubmit: (newName) => {
        if (newName && newName !== name) void act(cliCommand('rename', name, newName), () => engine.renameContainer(id, newName));
      },
    }),
    inspect: () => {
      engine.inspectContainer(id).then(
        (record) => overlay.open({ kind: 'json', title: `strata inspect ${name}`, value: record }),
        (error) => notify(`inspect ${name}: ${error instanceof Error ? error.message : String(error)}`, 'error'),
      );
    },
    logs: () => nav.show('logs'),
    mark: () => nav.toggleMark({ id, name }),
    'clear-marks': nav.marked.length > 0 ? () => nav.clearMarks() : undefined,
    stats: () => nav.show('stats'),
    shell: () => (status === 'running' ? shell.inDock({ id, name }) : notify(`${name} is ${status}: a shell needs it running`, 'error')),
    'shell-full': () => (status === 'running' ? shell.fullTerminal({ id, name }) : notify(`${name} is ${status}: a shell needs it running`, 'error')),
  };
}
