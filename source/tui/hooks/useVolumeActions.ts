// What each volume key does: create (a name, or empty for a generated one), remove and
// prune (asked first, naming the containers that use it), inspect.
import { cliCommand } from '../model/cli-command.js';
import { formatBytes } from '../model/format.js';
import { unusedVolumes, usersText, type VolumeRow } from '../model/store-objects.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { useInspect } from './useInspect.js';
import type { ActionHandlers } from './useKeymap.js';

export function useVolumeActions(row: VolumeRow | undefined, rows: readonly VolumeRow[], reload: () => void): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const inspect = useInspect();
  const create = () => overlay.open({
    kind: 'prompt',
    label: 'create volume (empty: a generated name): ',
    onSubmit: (value) => {
      const name = value.trim();
      void act(cliCommand('volume', 'create', ...(name ? [name] : [])), () => engine.createVolume(name || undefined), (v) => `created volume ${v.name}`);
    },
  });
  const prune = () => {
    const unused = unusedVolumes(rows);
    if (unused.length === 0) {
      notify('no unused volumes to prune', 'ok');
      return;
    }
    overlay.open({
      kind: 'confirm',
      message: `Remove ${unused.length} volume(s) no container uses (${usersText(unused.map((v) => v.name))})?`,
      onConfirm: () => void act(cliCommand('volume', 'prune', '-f'), () => engine.pruneVolumes(),
        (report) => `pruned ${report.removed.length} volume(s), ${formatBytes(report.reclaimedBytes)} reclaimed`),
    });
  };
  if (!row) return { create, prune };
  return {
    create,
    prune,
    inspect: () => inspect.volume(row.name),
    remove: () => overlay.open({
      kind: 'confirm',
      message: row.users.length > 0 ? `Remove volume ${row.name}? It is used by ${usersText(row.users)}.` : `Remove volume ${row.name}?`,
      onConfirm: () => void act(cliCommand('volume', 'rm', row.name), () => engine.removeVolume(row.name)).then((ok) => { if (!ok) reload(); }),
    }),
  };
}
