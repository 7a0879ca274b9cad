// strata ps. Its own small module with few imports: `strata ps` has to start in about the time
// `node -e 0` takes, so anything only some flags need (--format) is loaded when asked for.
import type { ContainerSummary, EngineApi } from '../engine/api.js';
import { listContainersReadOnly } from '../engine/container-list.js';
import { type CommandSpec, type ParsedCommand, flagBool, flagList, flagString, parseVerbArgs, parseInteger } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { psCommand, shortId } from '../engine/docker-shape/command.js';
import { psPorts } from '../engine/docker-shape/network-shape.js';
import { timeAgo } from '../engine/format/duration.js';
import { renderTable } from './format/table.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'ps',
    usage: '[OPTIONS]',
    summary: SUMMARIES.ps,
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display container IDs' },
      { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
      { long: 'format', kind: 'string', help: "Format output using a custom template: 'table', 'json' or a Go template" },
      { long: 'filter', short: 'f', kind: 'list', value: 'filter', help: 'Filter output based on conditions provided (id, name, label, status, exited, ancestor, before, since, volume, network, publish, expose, health, isolation, is-task)' },
      { long: 'last', short: 'n', kind: 'string', value: 'int', help: 'Show n last created containers (includes all states)' },
      { long: 'latest', short: 'l', kind: 'bool', help: 'Show the latest created container (includes all states)' },
      { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes', hidden: true },
    ],
    maxArgs: 0,
  };

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  return psVerb(parsed, ctx);
};

export function renderPsTable(list: ContainerSummary[], noTrunc: boolean, now: Date = new Date()): string {
  const header = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];
  const rows = list.map((c) => [noTrunc ? c.id : shortId(c.id), c.image, psCommand(c.command, noTrunc), timeAgo(c.created, now), c.statusText, psPorts(c.ports), c.name]);
  return renderTable(header, rows);
}

export async function listForPs(engine: EngineApi, all: boolean): Promise<ContainerSummary[]> {
  const list = await engine.listContainers(all);
  return list.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
}

async function psVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const format = flagString(p, 'format');
  const custom = format !== undefined && format !== 'table';
  // Only --format needs the docker-shaped rows and the template engine.
  const formatting = custom ? await Promise.all([import('../engine/docker-shape/list-rows.js'), import('./format/template.js'), import('./format/headers.js')]) : undefined;
  if (custom && format !== 'json') formatting![1].checkTemplate(format);
  const lastRaw = flagString(p, 'last');
  let last = lastRaw === undefined ? undefined : parseInteger(lastRaw, '--last');
  if (flagBool(p, 'latest')) last = 1;
  const all = flagBool(p, 'all') || (last !== undefined && last > 0);
  const noTrunc = flagBool(p, 'no-trunc');
  const rawFilters = flagList(p, 'filter');
  // only a filter loads its module; a bad filter fails before the engine opens
  const filtering = rawFilters.length ? await import('./ps-filters.js') : undefined;
  const filters = filtering?.parsePsFilters(rawFilters);

  const listing = async (everyOne: boolean) =>
    listContainersReadOnly({ root: ctx.globals.root, runtimeDir: ctx.globals.runtimeDir }, everyOne) ?? (await listForPs(await ctx.engine(), everyOne));
  // as docker's daemon: a status filter looks at every container, not only the running ones
  let list = await listing(all || !!filters?.has('status'));
  if (filtering && filters) list = await filtering.applyPsFilters(list, filters, { all: () => listing(true), engine: () => ctx.engine() });
  if (last !== undefined && last > 0) list = list.slice(0, last);

  if (flagBool(p, 'quiet')) {
    ctx.print(list.map((c) => `${noTrunc ? c.id : shortId(c.id)}\n`).join(''));
  } else if (formatting) {
    const [{ psRow }, { renderRows }, { PS_HEADER }] = formatting;
    const rows = list.map((c) => psRow(c, noTrunc));
    ctx.print(format === 'json' ? rows.map((r) => `${JSON.stringify(r)}\n`).join('') : renderRows(format!, rows, PS_HEADER));
  } else {
    ctx.print(renderPsTable(list, noTrunc));
  }
  return 0;
}
