// What each image key does: run from a small form, pull (with per-layer progress), tag,
// remove and prune (confirmed), inspect, history, open in the layer explorer.
import type { ContainerLimits, CreateOptions, ImageSummary } from '../../engine/api.js';
// docker's flag parsers, shared with the CLI, so `64m` and `0.5` mean in the form what they mean to `strata run`.
import { parseNanoCpus } from '../../engine/format/cpus.js';
import { parseRamBytes } from '../../engine/format/size.js';
import { PANE_LIST } from '../keymap.js';
import { formatBytes } from '../model/format.js';
import { historyLines } from '../model/history-lines.js';
import type { PullProgress } from './usePullProgress.js';
import { cliCommand } from '../model/cli-command.js';
import type { ImageRow } from '../model/image-rows.js';
import { shellWords } from '../../engine/format/shell-words.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import type { ActionHandlers } from './useKeymap.js';

export interface RunForm {
  name: string;
  command: string;
  env: string; // KEY=VALUE, space separated
  memory?: string; // --memory, e.g. 64m
  cpus?: string; // --cpus, e.g. 0.5
}

/** The engine's create options and the equivalent `strata run -d …` words for a filled-in form. */
export function runRequest(image: string, form: RunForm): { options: CreateOptions; words: string[] } {
  const cmd = shellWords(form.command);
  const env = shellWords(form.env);
  for (const e of env) if (!e.includes('=')) throw new Error(`env "${e}" is not KEY=VALUE`);
  const name = form.name.trim();
  const memory = form.memory?.trim() ?? '';
  const cpus = form.cpus?.trim() ?? '';
  const limits: ContainerLimits = { ...(memory ? { memoryBytes: parseRamBytes(memory, '--memory') } : {}), ...(cpus ? { nanoCpus: parseNanoCpus(cpus) } : {}) };
  const options: CreateOptions = { image, ...(name ? { name } : {}), ...(cmd.length ? { cmd } : {}), ...(env.length ? { env } : {}), ...(memory || cpus ? { limits } : {}) };
  const words = ['run', '-d', ...(name ? ['--name', name] : []), ...env.flatMap((e) => ['-e', e]), ...(memory ? ['--memory', memory] : []), ...(cpus ? ['--cpus', cpus] : []), image, ...cmd];
  return { options, words };
}

/** Images docker's `image prune` removes: untagged and used by no container. */
export function danglingImages(images: readonly ImageSummary[], usedIds: ReadonlySet<string>): ImageSummary[] {
  return images.filter((i) => i.repoTags.length === 0 && !usedIds.has(i.id));
}

export interface ImagePaneState {
  images: readonly ImageSummary[];
  usedIds: ReadonlySet<string>;
  progress: PullProgress;
  width: number;
}

export function useImageActions(row: ImageRow | undefined, all: ImagePaneState): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  const prune = () => {
    const dangling = danglingImages(all.images, all.usedIds);
    if (dangling.length === 0) {
      notify('no dangling images to prune', 'ok');
      return;
    }
    overlay.open({
      kind: 'confirm',
      message: `Remove ${dangling.length} dangling image(s) (untagged, used by no container)?`,
      onConfirm: () => void act(cliCommand('image', 'prune', '-f'), () => engine.pruneImages(false),
        (report) => `pruned ${dangling.length} image(s), ${formatBytes(report.spaceReclaimed)} reclaimed`),
    });
  };
  const pull = () => overlay.open({
    kind: 'prompt',
    label: 'pull: ',
    onSubmit: (value) => {
      const ref = value.trim();
      if (!ref) return;
      all.progress.begin(ref);
      void act(cliCommand('pull', ref), async () => {
        try {
          return await engine.pullImage(ref);
        } finally {
          all.progress.end();
        }
      }, (result) => `${result.status === 'up-to-date' ? 'up to date' : 'pulled'}: ${result.reference} (${result.digest.slice(0, 19)}…)`);
    },
  });
  if (!row) return { prune, pull };
  const ref = row.ref === '<none>:<none>' ? row.id : row.ref;
  return {
    prune,
    pull,
    history: () => {
      engine.imageHistory(ref).then(
        (entries) => overlay.open({ kind: 'text', title: `strata history ${ref}`, lines: historyLines(entries, all.width, Date.now()) }),
        (error) => notify(`history ${ref}: ${errorText(error)}`, 'error'),
      );
    },
    tag: () => overlay.open({
      kind: 'prompt',
      label: `Tag ${ref} as: `,
      onSubmit: (target) => {
        if (target.trim()) void act(cliCommand('tag', ref, target.trim()), () => engine.tagImage(ref, target.trim()));
      },
    }),
    layers: () => {
      nav.selectImage({ id: row.id, ref });
      // The layer explorer is its own pane; until it is there, say so rather than do nothing.
      const explorer = PANE_LIST.find((p) => (p.id as string) === 'layers');
      if (explorer) nav.show(explorer.id);
      else notify('the layer explorer is not part of this build yet', 'error');
    },
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
        { name: 'memory', label: 'memory', hint: 'limit, e.g. 64m (empty: none)' },
        { name: 'cpus', label: 'cpus', hint: 'limit, e.g. 0.5 (empty: none)' },
      ],
      onSubmit: (values) => {
        let request: ReturnType<typeof runRequest>;
        try {
          request = runRequest(ref, { name: values.name ?? '', command: values.command ?? '', env: values.env ?? '', memory: values.memory, cpus: values.cpus });
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
