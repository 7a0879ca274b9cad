// strata network create|ls|inspect|rm|prune|connect|disconnect.
import { type CommandSpec, flagBool, flagList, flagString } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { networkInspectShape } from '../engine/docker-shape/network-shape.js';
import { renderTable } from './format/table.js';
import { NETWORK_HEADER } from './format/headers.js';
import { eachName, parseSubcommand, printFormattedRows, printInspect } from './subcommands.js';
import { parseLabels } from './values.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  create: {
    name: 'network create', usage: '[OPTIONS] NETWORK', summary: 'Create a network',
    flags: [
      { long: 'driver', short: 'd', kind: 'string', help: 'Driver to manage the Network (bridge)' },
      { long: 'subnet', kind: 'string', help: 'Subnet in CIDR format that represents a network segment' },
      { long: 'gateway', kind: 'string', help: 'IPv4 Gateway for the master subnet' },
      { long: 'label', kind: 'list', help: 'Set metadata on a network' },
    ],
    minArgs: 1, maxArgs: 1,
  },
  ls: {
    name: 'network ls', usage: '[OPTIONS]', summary: 'List networks',
    flags: [
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display network IDs' },
      { long: 'no-trunc', kind: 'bool', help: 'Do not truncate the output' },
      { long: 'format', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" },
    ],
    maxArgs: 0,
  },
  inspect: {
    name: 'network inspect', usage: '[OPTIONS] NETWORK [NETWORK...]', summary: 'Display detailed information on one or more networks',
    flags: [{ long: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' }],
    minArgs: 1,
  },
  rm: { name: 'network rm', usage: 'NETWORK [NETWORK...]', summary: 'Remove one or more networks', flags: [], minArgs: 1 },
  connect: {
    name: 'network connect', usage: '[OPTIONS] NETWORK CONTAINER', summary: 'Connect a container to a network',
    flags: [
      { long: 'alias', kind: 'list', help: 'Add network-scoped alias for the container' },
      { long: 'ip', kind: 'string', help: 'IPv4 address (e.g., 172.30.100.104)' },
    ],
    minArgs: 2, maxArgs: 2,
  },
  disconnect: {
    name: 'network disconnect', usage: '[OPTIONS] NETWORK CONTAINER', summary: 'Disconnect a container from a network',
    flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Force the container to disconnect from a network' }],
    minArgs: 2, maxArgs: 2,
  },
  prune: {
    name: 'network prune', usage: '[OPTIONS]', summary: 'Remove all unused networks (and take down idle bridges)',
    flags: [{ long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' }],
    maxArgs: 0,
  },
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const chosen = parseSubcommand('network', SUMMARIES.network, SPECS, argv, ctx);
  if (typeof chosen === 'number') return chosen;
  const { sub, p } = chosen;
  const engine = await ctx.engine();
  switch (sub) {
    case 'create': {
      const driver = flagString(p, 'driver') ?? 'bridge';
      if (driver !== 'bridge') throw new CliError(`invalid argument "${driver}" for "--driver" flag: only bridge networks can be created`);
      const n = await engine.createNetwork(p.args[0], { subnet: flagString(p, 'subnet'), gateway: flagString(p, 'gateway'), labels: parseLabels(flagList(p, 'label')) });
      ctx.stdout.write(`${n.id}\n`);
      return 0;
    }
    case 'ls': {
      const nets = await engine.listNetworks();
      const id = (i: string) => (flagBool(p, 'no-trunc') ? i : i.slice(0, 12));
      const format = flagString(p, 'format');
      if (flagBool(p, 'quiet')) ctx.stdout.write(nets.map((n) => `${id(n.id)}\n`).join(''));
      else if (format) printFormattedRows(ctx, format, nets.map((n) => ({ ID: id(n.id), Name: n.name, Driver: n.driver, Scope: 'local', IPv6: 'false', Internal: 'false', Labels: '', CreatedAt: n.created })), NETWORK_HEADER);
      else ctx.stdout.write(renderTable(['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], nets.map((n) => [id(n.id), n.name, n.driver, 'local'])));
      return 0;
    }
    case 'inspect':
      return printInspect(ctx, flagString(p, 'format'), p.args, async (ref) => {
        const { network, containers } = await engine.inspectNetwork(ref);
        return networkInspectShape(network, containers);
      });
    case 'rm':
      return eachName(ctx, p.args, (ref) => engine.removeNetwork(ref));
    case 'connect':
      await engine.connectNetwork(p.args[0], p.args[1], { aliases: flagList(p, 'alias'), ipv4Address: flagString(p, 'ip') });
      return 0;
    case 'disconnect':
      await engine.disconnectNetwork(p.args[0], p.args[1]);
      return 0;
    default: {
      const removed = await engine.pruneNetworks();
      // idle bridges of the remaining networks too: they come back at the next start
      await engine.releaseIdleNetworks();
      if (removed.length) ctx.stdout.write(`Deleted Networks:\n${removed.map((n) => `${n}\n`).join('')}`);
      return 0;
    }
  }
};
