// What each image key does: remove (confirmed), run from a small form, inspect.
import type { CreateOptions } from '../../engine/api.js';
import { cliCommand } from '../model/cli-command.js';
import type { ImageRow } from '../model/image-rows.js';
import { shellWords } from '../model/shell-words.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import type { ActionHandlers } from './useKeymap.js';

export interface RunForm {
  name: string;
  command: string;
  env: string; // KEY=VALUE, space separated
}

/** The engine's create options and the equivalent `strata run -d …` words for a filled-in form. */
export function runRequest(image: string, form: RunForm): { options: CreateOptions; words: string[] } {
  const cmd = shellWords(form.command);
  const env = shellWords(form.env);
  for (const e of env) if (!e.includes('=')) throw new Error(`env "${e}" is not KEY=VALUE`);
  const name = form.name.trim();
  const options: CreateOptions = { image, ...(name ? { name } : {}), ...(cmd.length ? { cmd } : {}), ...(env.length ? { env } : {}) };
  const words = ['run', '-d', ...(name ? ['--name', name] : []), ...env.flatMap((e) => ['-e', e]), image, ...cmd];
  return { options, words };
}

export function useImageActions(row: ImageRow | undefined): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  if (!row) return {};
  const ref = row.ref === '<none>:<none>' ? row.id : row.ref;
  return {
    remove: () => overlay.open({
      kind: 'confirm',
      message: row.containers > 0 ? `Remove ${ref}? ${row.containers} container(s) use it.` : `Remove ${ref}?`,
      onConfirm: () => void act(cliCommand('rmi', ref), () => engine.removeImage(ref)),
    }),
    inspect: () => {
      engine.inspectImage(ref).then(
        (record) => overlay.open({ kind: 'json', title: `strata inspect ${ref}`, value: record }),
        (error) => notify(`inspect ${ref}: ${errorText(error)}`, 'error'),
      );
    },
    run: () => overlay.open({
      kind: 'form',
      title: `Run ${ref}`,
      fields: [
        { name: 'name', label: 'name', hint: 'empty: a generated name' },
        { name: 'command', label: 'command', hint: "empty: the image's CMD" },
        { name: 'env', label: 'env', hint: 'KEY=VALUE …' },
      ],
      onSubmit: (values) => {
        let request: ReturnType<typeof runRequest>;
        try {
          request = runRequest(ref, { name: values.name ?? '', command: values.command ?? '', env: values.env ?? '' });
        } catch (error) {
          notify(`run: ${errorText(error)}`, 'error');
          return;
        }
        void act(cliCommand(...request.words), async () => {
          const { record } = await engine.runContainer(request.options);
          nav.focusContainer(record.id);
          nav.show('containers');
        }, `started ${request.options.name ?? 'a container'} from ${ref}`);
      },
    }),
  };
}
