// What each container key does: engine calls with their CLI equivalents, confirmations for
// the destructive ones, and the panes/dialogs the rest open. The lifecycle keys act on every
// marked container (one question naming how many), or on the cursor's row when none is marked.
import type { EngineApi } from '../../engine/api.js';
import type { ContainerRow } from '../model/container-rows.js';
import { cliCommand } from '../model/cli-command.js';
import { countedNames, pauseVerb, runBatch, type BatchTarget } from '../model/batch.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import type { ActionHandlers } from './useKeymap.js';
import { useContainerTools } from './useContainerTools.js';

type Verb = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'rm';

const isLive = (t: BatchTarget) => t.status === 'running' || t.status === 'paused';

function engineCall(engine: EngineApi, verb: Verb, t: BatchTarget): Promise<unknown> {
  switch (verb) {
    case 'start': return engine.startContainer(t.id);
    case 'stop': return engine.stopContainer(t.id);
    case 'restart': return engine.restartContainer(t.id);
    case 'pause': return engine.pauseContainer(t.id);
    case 'unpause': return engine.unpauseContainer(t.id);
    case 'kill': return engine.killContainer(t.id);
    case 'rm': return engine.removeContainer(t.id, isLive(t));
  }
}

const QUESTIONS: Record<Verb, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', pause: 'Pause', unpause: 'Unpause', kill: 'Kill (SIGKILL)', rm: 'Remove' };

export function useContainerActions(row: ContainerRow | undefined, targets: readonly BatchTarget[]): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  const tools = useContainerTools(row);

  const run = (verb: Verb, on: readonly BatchTarget[]) => {
    const force = verb === 'rm' && on.some(isLive) ? ['-f'] : [];
    void act(cliCommand(verb, ...force, ...on.map((t) => t.name)), () => runBatch(verb, on, (t) => engineCall(engine, verb, t)), (summary) => summary);
  };
  // One container: stop/start/restart/pause at once, kill and remove asked first. Marked ones: always one question.
  const lifecycle = (verb: Verb, on: readonly BatchTarget[] = targets) => {
    if (on.length === 0) return;
    if (on.length === 1 && verb !== 'kill' && verb !== 'rm') {
      run(verb, on);
      return;
    }
    const live = on.filter(isLive);
    const note = verb === 'rm' && live.length > 0 ? ` ${live.length === 1 && on.length === 1 ? `It is ${live[0].status}` : `${live.length} running or paused`}: killed first.` : '';
    const what = on.length === 1 ? on[0].name : countedNames(on);
    overlay.open({ kind: 'confirm', message: `${QUESTIONS[verb]} ${what}?${note}`, onConfirm: () => run(verb, on) });
  };

  const handlers: ActionHandlers = {
    start: () => lifecycle('start'),
    stop: () => lifecycle('stop'),
    restart: () => lifecycle('restart'),
    pause: () => {
      const verb = pauseVerb(targets);
      const fit = targets.filter((t) => t.status === (verb === 'pause' ? 'running' : 'paused'));
      lifecycle(verb, fit.length > 0 ? fit : targets);
    },
    kill: () => lifecycle('kill'),
    remove: () => lifecycle('rm'),
    'clear-marks': nav.marked.length > 0 ? () => nav.clearMarks() : undefined,
  };
  if (!row) return handlers;
  const { id, name } = row;
  return {
    ...handlers,
    ...tools,
    rename: () => overlay.open({
      kind: 'prompt',
      label: `Rename ${name} to: `,
      initial: name,
      onSubmit: (newName) => {
        if (newName && newName !== name) void act(cliCommand('rename', name, newName), () => engine.renameContainer(id, newName));
      },
    }),
    logs: () => nav.show('logs'),
    mark: () => nav.toggleMark({ id, name }),
    stats: () => nav.show('stats'),
    shell: () => (row.status === 'running' ? tools.shell?.() : notify(`${name} is ${row.status}: a shell needs it running`, 'error')),
    'shell-full': () => (row.status === 'running' ? tools['shell-full']?.() : notify(`${name} is ${row.status}: a shell needs it running`, 'error')),
  };
}
