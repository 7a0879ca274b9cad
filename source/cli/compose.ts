// strata compose: docker compose v2's verbs on a compose project, daemonless. The project
// model and the reconcile live in source/compose/; this file reads the flags, loads the
// project and prints what docker compose prints.
import { type CommandSpec, type FlagSpec, type ParsedCommand, flagList, flagString, parseInteger, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError } from './errors.js';
import { SUMMARIES } from './summaries.js';
import type { ComposeProject } from '../compose/model/types.js';
import type { LoadOptions } from '../compose/model/load-project.js';
import type { ProgressEvent } from '../compose/reconcile/progress.js';

const GLOBAL_FLAGS: FlagSpec[] = [
  { long: 'file', short: 'f', kind: 'list', help: 'Compose configuration files' },
  { long: 'project-name', short: 'p', kind: 'string', help: 'Project name' },
  { long: 'profile', kind: 'list', help: 'Specify a profile to enable' },
  { long: 'env-file', kind: 'list', help: 'Specify an alternate environment file' },
  { long: 'project-directory', kind: 'string', help: 'Specify an alternate working directory (default: the path of the first specified Compose file)' },
  { long: 'progress', kind: 'string', help: 'Set type of progress output (auto, tty, plain, quiet)', hidden: true },
  { long: 'ansi', kind: 'string', help: 'Control when to print ANSI control characters ("never"|"always"|"auto")', hidden: true },
  { long: 'parallel', kind: 'string', help: 'Control max parallelism, -1 for unlimited', hidden: true },
];

const TIMEOUT: FlagSpec = { long: 'timeout', short: 't', kind: 'string', help: 'Specify a shutdown timeout in seconds' };

const SPECS: Record<string, CommandSpec> = {
  up: {
    name: 'compose up', usage: '[OPTIONS] [SERVICE...]', summary: 'Create and start containers',
    flags: [
      { long: 'detach', short: 'd', kind: 'bool', help: 'Detached mode: Run containers in the background' },
      { long: 'build', kind: 'bool', help: 'Build images before starting containers' },
      { long: 'no-build', kind: 'bool', help: "Don't build an image, even if it's policy" },
      { long: 'force-recreate', kind: 'bool', help: "Recreate containers even if their configuration and image haven't changed" },
      { long: 'no-recreate', kind: 'bool', help: "If containers already exist, don't recreate them" },
      { long: 'no-deps', kind: 'bool', help: "Don't start linked services" },
      { long: 'no-start', kind: 'bool', help: "Don't start the services after creating them" },
      { long: 'remove-orphans', kind: 'bool', help: 'Remove containers for services not defined in the Compose file' },
      { long: 'scale', kind: 'list', help: 'Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present' },
      { long: 'wait', kind: 'bool', help: 'Wait for services to be running|healthy. Implies detached mode' },
      { long: 'pull', kind: 'string', help: 'Pull image before running ("always"|"missing"|"never")' },
      TIMEOUT,
    ],
  },
  create: {
    name: 'compose create', usage: '[OPTIONS] [SERVICE...]', summary: 'Creates containers for a service',
    flags: [
      { long: 'build', kind: 'bool', help: 'Build images before starting containers' },
      { long: 'force-recreate', kind: 'bool', help: "Recreate containers even if their configuration and image haven't changed" },
      { long: 'no-recreate', kind: 'bool', help: "If containers already exist, don't recreate them" },
      { long: 'remove-orphans', kind: 'bool', help: 'Remove containers for services not defined in the Compose file' },
    ],
  },
  down: {
    name: 'compose down', usage: '[OPTIONS] [SERVICES]', summary: 'Stop and remove containers, networks',
    flags: [
      { long: 'volumes', short: 'v', kind: 'bool', help: 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers' },
      { long: 'rmi', kind: 'string', help: 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")' },
      { long: 'remove-orphans', kind: 'bool', help: 'Remove containers for services not defined in the Compose file' },
      TIMEOUT,
    ],
  },
  ps: {
    name: 'compose ps', usage: '[OPTIONS] [SERVICE...]', summary: 'List containers',
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Show all stopped containers (including those created by the run command)' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display IDs' },
      { long: 'services', kind: 'bool', help: 'Display services' },
      { long: 'format', kind: 'string', help: 'Format output using a custom template: table, json or a Go template' },
    ],
  },
  logs: {
    name: 'compose logs', usage: '[OPTIONS] [SERVICE...]', summary: 'View output from containers',
    flags: [
      { long: 'follow', short: 'f', kind: 'bool', help: 'Follow log output' },
      { long: 'tail', short: 'n', kind: 'string', help: 'Number of lines to show from the end of the logs for each container' },
      { long: 'timestamps', short: 't', kind: 'bool', help: 'Show timestamps' },
      { long: 'no-log-prefix', kind: 'bool', help: "Don't print prefix in logs" },
      { long: 'no-color', kind: 'bool', help: 'Produce monochrome output' },
    ],
  },
  config: {
    name: 'compose config', usage: '[OPTIONS] [SERVICE...]', summary: 'Parse, resolve and render compose file in canonical format',
    flags: [
      { long: 'services', kind: 'bool', help: 'Print the service names, one per line' },
      { long: 'volumes', kind: 'bool', help: 'Print the volume names, one per line' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only validate the configuration, don\'t print anything' },
      { long: 'format', kind: 'string', help: 'Format the output. Values: [yaml | json]' },
    ],
  },
  ls: {
    name: 'compose ls', usage: '[OPTIONS]', summary: 'List running compose projects',
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Show all stopped Compose projects' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only display project names' },
      { long: 'format', kind: 'string', help: 'Format the output. Values: [table | json]' },
    ],
    maxArgs: 0,
  },
  build: {
    name: 'compose build', usage: '[OPTIONS] [SERVICE...]', summary: 'Build or rebuild services',
    flags: [{ long: 'no-cache', kind: 'bool', help: 'Do not use cache when building the image' }, { long: 'quiet', short: 'q', kind: 'bool', help: "Don't print anything to STDOUT" }],
  },
  pull: { name: 'compose pull', usage: '[OPTIONS] [SERVICE...]', summary: 'Pull service images', flags: [{ long: 'quiet', short: 'q', kind: 'bool', help: 'Pull without printing progress information' }] },
  start: { name: 'compose start', usage: '[SERVICE...]', summary: 'Start services', flags: [] },
  stop: { name: 'compose stop', usage: '[OPTIONS] [SERVICE...]', summary: 'Stop services', flags: [TIMEOUT] },
  restart: { name: 'compose restart', usage: '[OPTIONS] [SERVICE...]', summary: 'Restart service containers', flags: [TIMEOUT] },
  pause: { name: 'compose pause', usage: '[SERVICE...]', summary: 'Pause services', flags: [] },
  unpause: { name: 'compose unpause', usage: '[SERVICE...]', summary: 'Unpause services', flags: [] },
  kill: { name: 'compose kill', usage: '[OPTIONS] [SERVICE...]', summary: 'Force stop service containers', flags: [{ long: 'signal', short: 's', kind: 'string', help: 'SIGNAL to send to the container' }] },
  rm: {
    name: 'compose rm', usage: '[OPTIONS] [SERVICE...]', summary: 'Removes stopped service containers',
    flags: [
      { long: 'force', short: 'f', kind: 'bool', help: "Don't ask to confirm removal" },
      { long: 'stop', short: 's', kind: 'bool', help: 'Stop the containers, if required, before removing' },
      { long: 'volumes', short: 'v', kind: 'bool', help: 'Remove any anonymous volumes attached to containers' },
    ],
  },
  exec: {
    name: 'compose exec', usage: '[OPTIONS] SERVICE COMMAND [ARGS...]', summary: 'Execute a command in a running container',
    flags: [
      { long: 'detach', short: 'd', kind: 'bool', help: 'Detached mode: Run command in the background' },
      { long: 'no-TTY', short: 'T', kind: 'bool', help: 'Disable pseudo-TTY allocation. By default `compose exec` allocates a TTY' },
      { long: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
      { long: 'user', short: 'u', kind: 'string', help: 'Run the command as this user' },
      { long: 'workdir', short: 'w', kind: 'string', help: 'Path to workdir directory for this command' },
      { long: 'index', kind: 'string', help: 'Index of the container if service has multiple replicas' },
      { long: 'privileged', kind: 'bool', help: 'Give extended privileges to the process' },
    ],
    stopAtFirstPositional: true,
    minArgs: 2,
  },
  run: {
    name: 'compose run', usage: '[OPTIONS] SERVICE [COMMAND] [ARGS...]', summary: 'Run a one-off command on a service',
    flags: [
      { long: 'detach', short: 'd', kind: 'bool', help: 'Run container in background and print container ID' },
      { long: 'rm', kind: 'bool', help: 'Automatically remove the container when it exits' },
      { long: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
      { long: 'label', short: 'l', kind: 'list', help: 'Add or override a label' },
      { long: 'entrypoint', kind: 'string', help: 'Override the entrypoint of the image' },
      { long: 'no-TTY', short: 'T', kind: 'bool', help: 'Disable pseudo-TTY allocation (default: auto-detected)' },
      { long: 'interactive', short: 'i', kind: 'bool', help: 'Keep STDIN open even if not attached (default true)', hidden: true },
      { long: 'no-deps', kind: 'bool', help: "Don't start linked services" },
      { long: 'service-ports', kind: 'bool', help: "Run command with all service's ports enabled and mapped to the host" },
      { long: 'publish', short: 'p', kind: 'list', help: "Publish a container's port(s) to the host" },
      { long: 'use-aliases', kind: 'bool', help: "Use the service's network useAliases in the network(s) the container connects to" },
      { long: 'volume', short: 'v', kind: 'list', help: 'Bind mount a volume' },
      { long: 'workdir', short: 'w', kind: 'string', help: 'Working directory inside the container' },
      { long: 'user', short: 'u', kind: 'string', help: 'Run as specified username or uid' },
      { long: 'name', kind: 'string', help: 'Assign a name to the container' },
      { long: 'build', kind: 'bool', help: 'Build image before starting container' },
      { long: 'pull', kind: 'string', help: 'Pull image before running ("always"|"missing"|"never")' },
      { long: 'quiet-pull', kind: 'bool', help: 'Pull without printing progress information', hidden: true },
      { long: 'remove-orphans', kind: 'bool', help: 'Remove containers for services not defined in the Compose file', hidden: true },
    ],
    stopAtFirstPositional: true,
    minArgs: 1,
  },
  top: { name: 'compose top', usage: '[SERVICES...]', summary: 'Display the running processes', flags: [] },
  images: { name: 'compose images', usage: '[OPTIONS] [SERVICE...]', summary: 'List images used by the created containers', flags: [{ long: 'quiet', short: 'q', kind: 'bool', help: 'Only display IDs' }] },
  port: { name: 'compose port', usage: '[OPTIONS] SERVICE PRIVATE_PORT', summary: 'Print the public port for a port binding', flags: [{ long: 'protocol', kind: 'string', help: 'tcp or udp' }, { long: 'index', kind: 'string', help: 'Index of the container if service has multiple replicas' }], minArgs: 2, maxArgs: 2 },
};

interface ComposeGlobals {
  global: ParsedCommand;
  sub: string;
  rest: string[];
}

/** Compose's own flags come before the subcommand: `strata compose -f a.yml -p x up -d`. */
function splitGlobals(argv: string[]): ComposeGlobals | undefined {
  const spec: CommandSpec = { name: 'compose', usage: '[OPTIONS] COMMAND', summary: SUMMARIES.compose, flags: GLOBAL_FLAGS, stopAtFirstPositional: true };
  let p: ParsedCommand;
  try {
    p = parseVerbArgsQuiet(argv, spec);
  } catch (error) {
    throw error instanceof CliError ? error : new CliError((error as Error).message);
  }
  if (p.help || p.args.length === 0) return undefined;
  const [sub, ...rest] = p.args;
  return { global: p, sub, rest };
}

function parseVerbArgsQuiet(argv: string[], spec: CommandSpec): ParsedCommand {
  const sink = { stdout: { write: () => true } as unknown as NodeJS.WritableStream };
  return parseVerbArgs(argv, spec, sink) ?? { flags: {}, args: [], help: true };
}

function usage(ctx: CliContext): void {
  const width = Math.max(...Object.keys(SPECS).map((k) => k.length));
  const flags = GLOBAL_FLAGS.filter((f) => !f.hidden).map((f) => `  ${(f.short ? `-${f.short}, --${f.long}` : `    --${f.long}`).padEnd(26)} ${f.help}`);
  const rows = Object.entries(SPECS).map(([k, s]) => `  ${k.padEnd(width)}  ${s.summary}`);
  ctx.stdout.write(`\nUsage:  strata compose [OPTIONS] COMMAND\n\n${SUMMARIES.compose}\n\nOptions:\n${flags.join('\n')}\n\nCommands:\n${rows.join('\n')}\n\n`);
}

async function loadFor(ctx: CliContext, g: ComposeGlobals, services: string[]): Promise<ComposeProject> {
  const { loadProject } = await import('../compose/model/load-project.js');
  const options: LoadOptions = {
    files: flagList(g.global, 'file'),
    projectName: flagString(g.global, 'project-name'),
    projectDirectory: flagString(g.global, 'project-directory'),
    envFiles: flagList(g.global, 'env-file'),
    profiles: flagList(g.global, 'profile'),
    services,
    cwd: process.cwd(),
    env: process.env,
    warn: (message) => ctx.stderr.write(`WARN[0000] ${message}\n`),
  };
  try {
    return loadProject(options);
  } catch (error) {
    // `-p NAME` and no compose file here (docker compose acts on a project by its labels): the
    // files the project's containers say it was brought up from
    const name = options.projectName;
    const noFile = options.files.length === 0 && !process.env.COMPOSE_FILE && (error as Error).message.startsWith('no configuration file provided');
    const { projectFilesFromLabels } = await import('../compose/reconcile/project-containers.js');
    const known = name && noFile ? await projectFilesFromLabels(await ctx.engine(), name) : undefined;
    if (!known) throw error;
    return loadProject({ ...options, files: known.files, projectDirectory: options.projectDirectory ?? (known.workingDir || undefined) });
  }
}

function progressPrinter(ctx: CliContext): (e: ProgressEvent) => void {
  return (e) => {
    if (e.done) ctx.stderr.write(` ✔ ${e.kind} ${e.name}  ${e.action}\n`);
  };
}

function timeoutOf(p: ParsedCommand): number | undefined {
  const raw = flagString(p, 'timeout');
  return raw === undefined ? undefined : parseInteger(raw, '--timeout', { min: 0 });
}

function scaleOf(p: ParsedCommand): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of flagList(p, 'scale')) {
    const m = /^([^=]+)=(\d+)$/.exec(entry);
    if (!m) throw new CliError(`invalid --scale "${entry}": expected SERVICE=NUM`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export const main: VerbMain = async (_verb, argv, ctx) => {
  const g = splitGlobals(argv);
  if (!g) {
    usage(ctx);
    return argv.length === 0 ? 1 : 0;
  }
  const spec = SPECS[g.sub];
  if (!spec) throw new CliError(`unknown docker command: "compose ${g.sub}"`);
  const p = parseVerbArgs(g.rest, spec, ctx);
  if (!p) return 0;
  const { runComposeVerb } = await import('./compose-verbs.js');
  try {
    return await runComposeVerb(g.sub, p, ctx, {
      load: (services) => loadFor(ctx, g, services),
      progress: progressPrinter(ctx),
      timeout: () => timeoutOf(p),
      scale: () => scaleOf(p),
    });
  } catch (error) {
    // docker compose exits 1 for a bad project or a failed step, with one line.
    if ((error as Error).name === 'ComposeError') {
      ctx.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
};

