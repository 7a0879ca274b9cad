// `container prune` and `system prune`: docker's confirmation, its "Deleted …:" sections and
// "Total reclaimed space:".
import type { ContainerPruneFilters, ImagePruneReport } from '../engine/api.js';
import { humanSize } from '../engine/format/size.js';
import { type CommandSpec, type ParsedCommand, flagBool, flagList, parseVerbArgs } from './args.js';
import { confirm } from './confirm.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError } from './errors.js';
import { SUMMARIES } from './summaries.js';
import { parseTimeArg } from './values.js';

const FORCE = { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' } as const;
const FILTER = { long: 'filter', kind: 'list', value: 'filter', help: 'Provide filter values (e.g. "until=<timestamp>")' } as const;

const SPECS: Record<string, CommandSpec> = {
  'container prune': { name: 'container prune', usage: '[OPTIONS]', summary: SUMMARIES['container prune'], flags: [FILTER, FORCE], maxArgs: 0 },
  'system prune': {
    name: 'system prune',
    usage: '[OPTIONS]',
    summary: 'Remove unused data',
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images not just dangling ones' },
      FILTER,
      FORCE,
      { long: 'volumes', kind: 'bool', help: 'Prune anonymous volumes' },
    ],
    maxArgs: 0,
  },
};

/** A "Deleted …:" section, each entry on its line; '' when nothing was deleted (docker prints none). */
function section(title: string, entries: string[]): string {
  return entries.length ? `${title}:\n${entries.map((e) => `${e}\n`).join('')}` : '';
}

export function deletedImagesText(report: ImagePruneReport): string {
  return section('Deleted Images', [...report.untagged.map((r) => `untagged: ${r}`), ...report.deleted.map((id) => `deleted: ${id}`)]);
}

function containerFilters(entries: string[]): ContainerPruneFilters {
  const filters: ContainerPruneFilters = {};
  for (const entry of entries) {
    const m = /^(until|label!?)=(.*)$/.exec(entry);
    if (!m) throw new CliError(`invalid filter '${entry.split('=')[0]}'`, 125);
    if (m[1] === 'until') filters.until = parseTimeArg(m[2], '--filter until', new Date());
    else if (m[1] === 'label') (filters.label ??= []).push(m[2]);
    else (filters.labelNot ??= []).push(m[2]);
  }
  return filters;
}

function systemWarning(p: ParsedCommand): string {
  const all = flagBool(p, 'all');
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (flagBool(p, 'volumes')) warnings.push('all anonymous volumes not used by at least one container');
  warnings.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
  warnings.push(all ? 'all build cache' : 'unused build cache');
  return `WARNING! This will remove:\n${warnings.map((w) => `  - ${w}\n`).join('')}`;
}

export const main: VerbMain = async (verb, argv, ctx) => {
  const p = parseVerbArgs(argv, SPECS[verb], ctx);
  if (!p) return 0;
  return verb === 'container prune' ? containerPrune(p, ctx) : systemPrune(p, ctx);
};

async function containerPrune(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const filters = containerFilters(flagList(p, 'filter'));
  if (!flagBool(p, 'force') && !(await confirm(ctx, 'WARNING! This will remove all stopped containers.'))) return 0;
  const { deleted, spaceReclaimed } = await (await ctx.engine()).pruneContainers(filters);
  const text = section('Deleted Containers', deleted);
  ctx.stdout.write(`${text ? `${text}\n` : ''}Total reclaimed space: ${humanSize(spaceReclaimed)}\n`);
  return 0;
}

// docker's order: containers, networks, volumes, images, build cache; each section then a blank line
async function systemPrune(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const filters = containerFilters(flagList(p, 'filter'));
  if (!flagBool(p, 'force') && !(await confirm(ctx, systemWarning(p)))) return 0;
  const engine = await ctx.engine();
  const containers = await engine.pruneContainers(filters);
  let reclaimed = containers.spaceReclaimed;
  const sections = [section('Deleted Containers', containers.deleted), section('Deleted Networks', await engine.pruneNetworks())];
  await engine.releaseIdleNetworks();
  if (flagBool(p, 'volumes')) {
    const volumes = await engine.pruneVolumes();
    reclaimed += volumes.reclaimedBytes;
    sections.push(section('Deleted Volumes', volumes.removed));
  }
  const images = await engine.pruneImages(flagBool(p, 'all'));
  reclaimed += images.spaceReclaimed;
  sections.push(deletedImagesText(images));
  const cache = await engine.pruneBuildCache();
  reclaimed += cache.reclaimedBytes;
  sections.push(section('Deleted build cache objects', cache.images.map((id) => id.replace(/^sha256:/, '').slice(0, 25))));
  for (const text of sections) if (text) ctx.stdout.write(`${text}\n`);
  ctx.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}
