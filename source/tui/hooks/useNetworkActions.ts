// What each network key does: create (name and an optional subnet), remove and prune (asked
// first, naming the containers on it), inspect.
import { cliCommand } from '../model/cli-command.js';
import { unusedNetworks, usersText, type NetworkRow } from '../model/store-objects.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { useInspect } from './useInspect.js';
import type { ActionHandlers } from './useKeymap.js';

export function useNetworkActions(row: NetworkRow | undefined, rows: readonly NetworkRow[], reload: () => void): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const inspect = useInspect();
  const create = () => overlay.open({
    kind: 'form',
    title: 'Create a network',
    fields: [
      { name: 'name', label: 'name' },
      { name: 'subnet', label: 'subnet', hint: 'CIDR, e.g. 10.80.1.0/24 (empty: chosen for you)' },
    ],
    onSubmit: (values) => {
      const name = (values.name ?? '').trim();
      const subnet = (values.subnet ?? '').trim();
      if (!name) {
        notify('network create: a name is needed', 'error');
        return;
      }
      void act(cliCommand('network', 'create', ...(subnet ? ['--subnet', subnet] : []), name),
        () => engine.createNetwork(name, subnet ? { subnet } : {}), (n) => `created network ${n.name} (${n.subnet})`);
    },
  });
  const prune = () => {
    const unused = unusedNetworks(rows);
    if (unused.length === 0) {
      notify('no unused networks to prune', 'ok');
      return;
    }
    overlay.open({
      kind: 'confirm',
      message: `Remove ${unused.length} network(s) no container is on (${usersText(unused.map((n) => n.name))})?`,
      onConfirm: () => void act(cliCommand('network', 'prune', '-f'), () => engine.pruneNetworks(), (removed) => `pruned ${removed.length} network(s)`),
    });
  };
  if (!row) return { create, prune };
  return {
    create,
    prune,
    inspect: () => inspect.network(row.name),
    remove: () => {
      if (row.builtin) {
        notify(`${row.name} is a pre-defined network and cannot be removed`, 'error');
        return;
      }
      overlay.open({
        kind: 'confirm',
        message: row.users.length > 0 ? `Remove network ${row.name}? ${usersText(row.users)} use it.` : `Remove network ${row.name}?`,
        onConfirm: () => void act(cliCommand('network', 'rm', row.name), () => engine.removeNetwork(row.name)).then((ok) => { if (!ok) reload(); }),
      });
    },
  };
}
