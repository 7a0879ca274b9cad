// The containers list grouped by compose project (lazydocker's and oxker's habit): each project
// a header row (its name, how many of its containers run) followed by its containers unless
// folded; containers of no project after them, as they were. Knows nothing of the screen.
import { LABEL } from '../../compose/reconcile/labels.js';
import type { ContainerRow } from './container-rows.js';

export interface ProjectHeader {
  kind: 'project';
  key: string; // never a container id (those are hex)
  name: string;
  running: number; // of all its containers, whatever the filter
  total: number;
  folded: boolean;
  members: ContainerRow[]; // all of them whatever the filter, by name: what the header's actions act on, whose logs it shows
}

export interface ContainerLine {
  kind: 'container';
  key: string; // the container's id
  row: ContainerRow;
  project?: string; // shown under that project's header
}

export type ContainerListRow = ProjectHeader | ContainerLine;

export function projectOf(row: ContainerRow): string | undefined {
  return row.summary.labels?.[LABEL.project] || undefined;
}

export function projectKey(name: string): string {
  return `project:${name}`;
}

/**
 * `shown`: the rows the filter keeps, sorted; `all`: every row (for the counts and for a project
 * whose name the filter matches, which shows all its containers). A project with nothing to
 * show is left out; with no project at all, the list is `shown` as it is.
 */
export function groupByProject(shown: readonly ContainerRow[], all: readonly ContainerRow[], folded: ReadonlySet<string>, filter = ''): ContainerListRow[] {
  const byProject = new Map<string, ContainerRow[]>();
  for (const row of all) {
    const name = projectOf(row);
    if (name !== undefined) byProject.set(name, [...(byProject.get(name) ?? []), row]);
  }
  const standalone = shown.filter((r) => projectOf(r) === undefined).map((row): ContainerLine => ({ kind: 'container', key: row.id, row }));
  if (byProject.size === 0) return standalone;
  const q = filter.toLowerCase();
  const order = new Map(shown.map((r, i) => [r.id, i]));
  const out: ContainerListRow[] = [];
  for (const name of [...byProject.keys()].sort()) {
    const members = byProject.get(name)!;
    const nameMatches = q !== '' && name.toLowerCase().includes(q);
    // the list's sort order; a project matched by name shows its members the filter would hide, after
    const visible = nameMatches ? [...members].sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity)) : members.filter((r) => order.has(r.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    if (visible.length === 0) continue;
    const isFolded = folded.has(name);
    out.push({ kind: 'project', key: projectKey(name), name, running: members.filter((r) => r.status === 'running').length, total: members.length, folded: isFolded, members: [...members].sort((a, b) => a.name.localeCompare(b.name)) });
    if (!isFolded) for (const row of visible) out.push({ kind: 'container', key: row.id, row, project: name });
  }
  return [...out, ...standalone];
}

/** The header's line: "▾ shop  compose project: 2 running / 3 total" (▸ when folded). */
export function projectHeaderText(h: ProjectHeader): string {
  return `${h.folded ? '▸' : '▾'} ${h.name}  compose project: ${h.running} running / ${h.total} total`;
}

/** The project a row belongs to: a header's own, a member's. */
export function rowProject(row: ContainerListRow | undefined): string | undefined {
  if (!row) return undefined;
  return row.kind === 'project' ? row.name : row.project;
}

/** Folds or unfolds one project. */
export function toggleFold(folded: ReadonlySet<string>, project: string): Set<string> {
  const next = new Set(folded);
  if (next.has(project)) next.delete(project);
  else next.add(project);
  return next;
}

/** Folds every project, or unfolds all when every one is folded already. */
export function toggleFoldAll(folded: ReadonlySet<string>, projects: readonly string[]): Set<string> {
  return projects.length > 0 && projects.every((p) => folded.has(p)) ? new Set() : new Set(projects);
}
