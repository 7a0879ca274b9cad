// What each image key does: run from a small form, pull and push (with per-layer progress), tag,
// remove and prune (confirmed), inspect, history, open in the layer explorer.
import type { ImageSummary } from '../../engine/api.js';
import { formatBytes } from '../model/format.js';
import { historyLines } from '../model/history-lines.js';
import type { PullProgress } from './usePullProgress.js';
import { cliCommand } from '../model/cli-command.js';
import { danglingImages, imageRef, type ImageRow } from '../model/image-rows.js';
import { runRequest } from '../model/run-request.js';
import { useLists } from '../contexts/lists.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { errorText, useStatus } from '../contexts/status.js';
import { useInspect } from './useInspect.js';
import type { ActionHandlers } from './useKeymap.js';

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
  const reloadImages = useLists().images.reload;
  const inspector = useInspect();
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
  const ref = imageRef(row);
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
      nav.show('layers');
    },
    remove: () => overlay.open({
      kind: 'confirm',
      message: row.containers > 0 ? `Remove ${ref}? ${row.containers} container(s) use it.` : `Remove ${ref}?`,
      // Removed or retagged elsewhere meanwhile: the list shows what is there now.
      onConfirm: () => void act(cliCommand('rmi', ref), () => engine.removeImage(ref)).then((ok) => { if (!ok) reloadImages(); }),
    }),
    inspect: () => inspector.image(ref),
    push: () => {
      if (row.ref === '<none>:<none>') {
        notify('push needs a tag: t tags the image first', 'error');
        return;
      }
      overlay.open({
        kind: 'prompt',
        label: 'push: ',
        initial: ref,
        onSubmit: (value) => {
          const target = value.trim();
          if (!target) return;
          void (async () => {
            // Another name than the row's: tag it first, as `docker tag` then `docker push`.
            if (target !== ref && !(await act(cliCommand('tag', ref, target), () => engine.tagImage(ref, target)))) return;
            all.progress.begin(target, 'pushing');
            await act(cliCommand('push', target), async () => {
              try {
                return await engine.pushImage(target);
              } finally {
                all.progress.end();
              }
            }, (result) => `pushed ${result.repository}:${result.tag} (${result.digest.slice(0, 19)}…)`);
          })();
        },
      });
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
