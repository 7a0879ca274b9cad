// strata volume create|ls|inspect|rm|prune.
import { type CommandSpec, flagBool, flagList, flagString } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { volumeInspectShape } from '../engine/docker-shape/network-shape.js';
import { humanSize } from '../engine/format/size.js';
import { renderTable } from './format/table.js';
import { VOLUME_HEADER } from './format/headers.js';
import { eachName, parseSubcommand, printFormattedRows, printInspect } from './subcommands.js';
import { parseLabels } from './values.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  create: {
    name: 'volume create', usage: '[OPTIONS] [VOLUME]', summary: 'Create a volume',
    flags: [
      { long: 'driver', short: 'd', kind: 'string', help: 'Specify volume driver name (local)' },
      { long: 'label', kind: 'list', help: 'Set metadata for a volume' },
      { long: 'name', kind: 'string', help: 'Specify volume name', hidden: true },
    ],
    maxArgs: 1,
  },
  ls: {
    name: 'volume ls', usage: '[OPTIONS]', summary: 'List volumes',
    flags: [
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display volume names' },
      { long: 'format', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" },
    ],
    maxArgs: 0,
  },
  inspect: {
    name: 'volume inspect', usage: '[OPTIONS] VOLUME [VOLUME...]', summary: 'Display detailed information on one or more volumes',
    flags: [{ long: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' }],
    minArgs: 1,
  },
  rm: {
    name: 'volume rm', usage: '[OPTIONS] VOLUME [VOLUME...]', summary: 'Remove one or more volumes',
    flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Force the removal of one or more volumes used only by stopped containers' }],
    minArgs: 1,
  },
  prune: {
    name: 'volume prune', usage: '[OPTIONS]', summary: 'Remove unused local volumes',
    flags: [
      { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
      { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused volumes, not just anonymous ones (the default here)' },
    ],
    maxArgs: 0,
  },
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const chosen = parseSubcommand('volume', SUMMARIES.volume, SPECS, argv, ctx);
  if (typeof chosen === 'number') return chosen;
  const { sub, p } = chosen;
  const engine = await ctx.engine();
  switch (sub) {
    case 'create': {
      const driver = flagString(p, 'driver') ?? 'local';
      if (driver !== 'local') throw new CliError(`invalid argument "${driver}" for "--driver" flag: only the local driver exists`);
      const v = await engine.createVolume(p.args[0] ?? flagString(p, 'name'), parseLabels(flagList(p, 'label')));
      ctx.stdout.write(`${v.name}\n`);
      return 0;
    }
    case 'ls': {
      const vols = await engine.listVolumes();
      const format = flagString(p, 'format');
      if (flagBool(p, 'quiet')) ctx.stdout.write(vols.map((v) => `${v.name}\n`).join(''));
      else if (format) printFormattedRows(ctx, format, vols.map((v) => ({ Driver: v.driver, Name: v.name, Mountpoint: v.mountpoint, Scope: 'local', Labels: '', CreatedAt: v.created })), VOLUME_HEADER);
      else ctx.stdout.write(renderTable(['DRIVER', 'VOLUME NAME'], vols.map((v) => [v.driver, v.name]), { minWidth: 10 }));
      return 0;
    }
    case 'inspect':
      return printInspect(ctx, flagString(p, 'format'), p.args, async (name) => volumeInspectShape(await engine.inspectVolume(name)));
    case 'rm':
      return eachName(ctx, p.args, (name) => engine.removeVolume(name, flagBool(p, 'force')));
    default: {
      const { removed, reclaimedBytes } = await engine.pruneVolumes();
      ctx.stdout.write(`${removed.length ? `Deleted Volumes:\n${removed.map((n) => `${n}\n`).join('')}\n` : ''}Total reclaimed space: ${humanSize(reclaimedBytes)}\n`);
      return 0;
    }
  }
};
