// start, stop, restart and rm of a whole project known only by its name, as `docker compose -p X
// VERB` does without a compose file: the containers and their order come from compose's labels
// (the service's depends_on label), so a front end that lists containers can act on a project.
import type { EngineApi } from '../../engine/api.js';
import { LABEL } from './labels.js';
import { projectContainers, type ProjectContainer } from './project-containers.js';

export type ProjectVerb = 'start' | 'stop' | 'restart' | 'rm';

export interface ProjectActionResult {
  done: string[]; // container names, in the order acted on
  failed: Array<{ name: string; error: string }>;
}

const live = (c: ProjectContainer) => c.summary.status === 'running' || c.summary.status === 'paused' || c.summary.status === 'restarting';

/** Every service after those its depends_on label names (a cycle or an unknown name is ignored: the labels are what `up` wrote). */
export function labelStartOrder(containers: readonly ProjectContainer[]): ProjectContainer[] {
  const services = [...new Set(containers.map((c) => c.service))].sort();
  const dependsOn = new Map(containers.map((c) => [c.service, (c.summary.labels?.[LABEL.dependsOn] ?? '').split(',').map((d) => d.split(':')[0]).filter((d) => d !== '')]));
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (s: string) => {
    if (order.includes(s) || visiting.has(s) || !services.includes(s)) return;
    visiting.add(s);
    for (const d of [...(dependsOn.get(s) ?? [])].sort()) visit(d);
    visiting.delete(s);
    order.push(s);
  };
  services.forEach(visit);
  return [...containers].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service) || a.number - b.number);
}

/**
 * The verb on the project's containers (one-off ones left out): start what is not running in
 * dependency order; stop what runs, dependents first; restart every one; rm stops what runs
 * and removes them all (`compose rm -s -f`). Each container is tried; failures are returned.
 */
export async function actOnProject(engine: EngineApi, project: string, verb: ProjectVerb, timeoutSeconds?: number): Promise<ProjectActionResult> {
  const ordered = labelStartOrder((await projectContainers(engine, project)).filter((c) => !c.oneoff));
  const result: ProjectActionResult = { done: [], failed: [] };
  const each = async (list: ProjectContainer[], call: (id: string) => Promise<unknown>) => {
    for (const c of list) {
      try {
        await call(c.summary.id);
        result.done.push(c.summary.name);
      } catch (error) {
        result.failed.push({ name: c.summary.name, error: (error instanceof Error ? error.message : String(error)).split('\n')[0] });
      }
    }
  };
  switch (verb) {
    case 'start':
      await each(ordered.filter((c) => !live(c)), (id) => engine.startContainer(id));
      break;
    case 'stop':
      await each(ordered.filter(live).reverse(), (id) => engine.stopContainer(id, timeoutSeconds));
      break;
    case 'restart':
      await each(ordered, (id) => engine.restartContainer(id, timeoutSeconds));
      break;
    case 'rm':
      for (const c of ordered.filter(live).reverse()) await engine.stopContainer(c.summary.id, timeoutSeconds).catch(() => undefined);
      await each(ordered.reverse(), (id) => engine.removeContainer(id, true));
      break;
  }
  return result;
}
