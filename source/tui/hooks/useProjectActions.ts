// What the lifecycle keys do on a compose project's header row: the compose layer's verbs on the
// whole project (`strata compose -p NAME VERB`, as docker compose acts on a project by its
// labels), asked first but for start; space marks or unmarks all its containers, l shows their logs merged.
import { actOnProject, type ProjectVerb } from '../../compose/reconcile/project-actions.js';
import { useNavigation } from '../contexts/navigation.js';
import { useOverlay } from '../contexts/overlay.js';
import { useServices } from '../contexts/services.js';
import { useStatus } from '../contexts/status.js';
import { countedNames } from '../model/batch.js';
import { cliCommand } from '../model/cli-command.js';
import type { ProjectHeader } from '../model/compose-groups.js';
import type { ActionHandlers } from './useKeymap.js';

const CLI_ARGS: Record<ProjectVerb, string[]> = { start: ['start'], stop: ['stop'], restart: ['restart'], rm: ['rm', '-s', '-f'] };
const QUESTIONS: Record<ProjectVerb, string> = { start: 'Start', stop: 'Stop', restart: 'Restart', rm: 'Stop and remove' };
const DONE: Record<ProjectVerb, string> = { start: 'started', stop: 'stopped', restart: 'restarted', rm: 'removed' };

export function useProjectActions(header: ProjectHeader | undefined): ActionHandlers {
  const { engine } = useServices();
  const { act, notify } = useStatus();
  const overlay = useOverlay();
  const nav = useNavigation();
  if (!header) return {};
  const { name, members } = header;

  const run = (verb: ProjectVerb) => void act(cliCommand('compose', '-p', name, ...CLI_ARGS[verb]), async () => {
    const { done, failed } = await actOnProject(engine, name, verb);
    if (failed.length > 0) {
      const ok = done.length > 0 ? ` (${done.length} done)` : '';
      throw new Error(`${verb} failed for ${failed.length} of ${done.length + failed.length} in ${name}${ok}: ${failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
    }
    return `${name}: ${done.length === 0 ? `nothing to ${verb}` : `${countedNames(done.map((n) => ({ name: n })))} ${DONE[verb]}`}`;
  }, (summary) => summary);
  const ask = (verb: ProjectVerb) => () => overlay.open({ kind: 'confirm', message: `${QUESTIONS[verb]} compose project ${name}, ${countedNames(members)}?`, onConfirm: () => run(verb) });
  const marked = new Set(nav.marked.map((m) => m.id));

  return {
    start: () => run('start'),
    stop: ask('stop'),
    restart: ask('restart'),
    remove: ask('rm'),
    logs: () => nav.show('logs'), // the project's containers merged (navigation's project)
    // the rest of the container keys act on containers: say so rather than do nothing
    ...Object.fromEntries(['pause', 'kill', 'rename', 'shell', 'shell-full', 'exec', 'commit', 'explore', 'copy-id', 'inspect', 'stats'].map((action) => [action, () => notify(`${name} is a compose project: s x r d act on it, z folds it; other keys act on one of its containers`, 'info')])),
    // all marked already: unmark them all; else mark those that are not
    mark: () => {
      const all = members.every((m) => marked.has(m.id));
      for (const m of members) if (all || !marked.has(m.id)) nav.toggleMark({ id: m.id, name: m.name });
    },
  };
}
