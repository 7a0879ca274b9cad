// The containers a project has in the store, by service and number, read from compose's labels.
import type { ContainerSummary, EngineApi } from '../../engine/api.js';
import { LABEL } from './labels.js';

export interface ProjectContainer {
  summary: ContainerSummary;
  service: string;
  number: number;
  oneoff: boolean;
}

export async function projectContainers(engine: EngineApi, project: string): Promise<ProjectContainer[]> {
  const all = await engine.listContainers(true);
  return all
    .filter((c) => c.labels?.[LABEL.project] === project)
    .map((c) => ({
      summary: c,
      service: c.labels?.[LABEL.service] ?? '',
      number: Number(c.labels?.[LABEL.number] ?? 0),
      oneoff: c.labels?.[LABEL.oneoff] === 'True',
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
}

/** Every compose project in the store: docker compose ls. */
export async function listProjects(engine: EngineApi): Promise<Array<{ name: string; running: number; exited: number; other: number; configFiles: string }>> {
  const byName = new Map<string, { name: string; running: number; exited: number; other: number; configFiles: string }>();
  for (const c of await engine.listContainers(true)) {
    const name = c.labels?.[LABEL.project];
    if (!name) continue;
    const entry = byName.get(name) ?? { name, running: 0, exited: 0, other: 0, configFiles: c.labels?.[LABEL.configFiles] ?? '' };
    if (c.status === 'running') entry.running++;
    else if (c.status === 'exited') entry.exited++;
    else entry.other++;
    byName.set(name, entry);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Where a project was brought up from, as its containers' labels say (`-p NAME` with no compose file at hand). */
export async function projectFilesFromLabels(engine: EngineApi, project: string): Promise<{ files: string[]; workingDir: string } | undefined> {
  const labels = (await engine.listContainers(true)).find((c) => c.labels?.[LABEL.project] === project && c.labels?.[LABEL.configFiles])?.labels;
  if (!labels) return undefined;
  return { files: labels[LABEL.configFiles].split(','), workingDir: labels[LABEL.workingDir] ?? '' };
}
