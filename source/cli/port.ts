// strata port CONTAINER [PRIVATE_PORT[/PROTO]]: the published ports, as docker prints them.
import { type CommandSpec, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { formatPort } from './publish-values.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = { name: 'port', usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]', summary: SUMMARIES.port, flags: [], minArgs: 1, maxArgs: 2 };

export const main: VerbMain = async (_verb, argv, ctx) => {
  const p = parseVerbArgs(argv, SPEC, ctx);
  if (!p) return 0;
  const engine = await ctx.engine();
  const ports = await engine.containerPorts(p.args[0]);
  if (p.args[1] === undefined) {
    ctx.stdout.write(ports.map((x) => `${formatPort(x)}\n`).join(''));
    return 0;
  }
  const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(p.args[1]);
  if (!m) throw new CliError(`Error: invalid port ${p.args[1]}`);
  const hits = ports.filter((x) => x.containerPort === Number(m[1]) && x.protocol === (m[2] ?? 'tcp'));
  if (hits.length === 0) throw new CliError(`Error: No public port '${m[1]}/${m[2] ?? 'tcp'}' published for ${p.args[0]}`);
  ctx.stdout.write(hits.map((x) => `${x.hostIp}:${x.hostPort}\n`).join(''));
  return 0;
};
