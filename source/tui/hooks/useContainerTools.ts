// The container keys beyond its lifecycle: inspect, a shell (bash, else sh), a typed command,
// commit to an image, open in the layer explorer, copy the id to the clipboard.
import type { ContainerRow } from '../model/container-rows.js';
import { shellWords } from '../../engine/format/shell-words.js';
import { cliCommand } from '../model/cli-command.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { useExecCapture } from './useExecCapture.js';
import { useInspect } from './useInspect.js';
import type { ActionHandlers } from './useKeymap.js';
import { useShell } from './useShell.js';

export function useContainerTools(row: ContainerRow | undefined): ActionHandlers {
  const { engine, clipboard } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  const inspect = useInspect();
  const shell = useShell();
  const execCapture = useExecCapture();
  if (!row) return {};
  const { id, name, status } = row;
  return {
    inspect: () => inspect.container(id, name),
    shell: () => shell.inDock({ id, name }),
    'shell-full': () => shell.fullTerminal({ id, name }),
    exec: () => {
      if (status !== 'running') {
        notify(`${name} is ${status}: exec needs it running`, 'error');
        return;
      }
      overlay.open({
        kind: 'prompt',
        label: `exec in ${name}: `,
        onSubmit: (line) => {
          let cmd: string[];
          try {
            cmd = shellWords(line.trim());
          } catch (error) {
            notify(`exec: ${errorText(error)}`, 'error');
            return;
          }
          if (cmd.length > 0) execCapture({ id, name }, cmd);
        },
      });
    },
    commit: () => overlay.open({
      kind: 'prompt',
      label: `Commit ${name} as (repo:tag): `,
      onSubmit: (value) => {
        const target = value.trim();
        if (!target) return;
        void act(cliCommand('commit', name, target), () => engine.commitContainer(id, target), (image) => `committed ${name} as ${target} (${image.id.replace(/^sha256:/, '').slice(0, 12)})`);
      },
    }),
    explore: () => {
      nav.exploreContainer({ id, name });
      nav.show('layers');
    },
    'copy-id': () => {
      if (!clipboard) {
        notify('no terminal to copy through', 'error');
        return;
      }
      clipboard(id);
      notify(`copied the id of ${name}: ${id.slice(0, 12)}…`, 'ok');
    },
  };
}
