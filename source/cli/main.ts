// strata's entry point. It imports almost nothing eagerly: `strata ps` must start nearly as fast
// as `node -e 0`, so `ps` is bundled with it and each other verb group is loaded by a dynamic
// import once the verb is known.
import { CliContext, type EngineOpener, type VerbMain, usedProcessStreams } from './context.js';
import { writeStdoutSync } from './stdout-sync.js';
import { CliError, verbExitCode } from './errors.js';
import { resolveGlobalOptions, splitGlobalFlags } from './globals.js';

// A verb module may bring its own copy of the engine (containers-entry.ts); the context then opens that one.
type VerbLoader = () => Promise<{ main: VerbMain; openEngine?: EngineOpener }>;

const containers: VerbLoader = () => import('./containers-entry.js');
const ps: VerbLoader = () => import('./ps.js');
const images: VerbLoader = () => import('./images.js');
const logs: VerbLoader = () => import('./logs.js');
const stats: VerbLoader = () => import('./stats.js');
const inspect: VerbLoader = () => import('./inspect.js');
const system: VerbLoader = () => import('./system.js');
const exec: VerbLoader = () => import('./exec.js');
const network: VerbLoader = () => import('./network.js');
const volume: VerbLoader = () => import('./volume.js');
const port: VerbLoader = () => import('./port.js');
const commit: VerbLoader = () => import('./commit.js');
const build: VerbLoader = () => import('./build.js');
const registry: VerbLoader = () => import('./registry.js');
const archive: VerbLoader = () => import('./archive.js');
const imageTools: VerbLoader = () => import('./image-tools.js');

const VERBS: Record<string, [VerbLoader, string]> = {
  attach: [containers, 'Attach local standard input, output, and error streams to a running container'],
  build: [build, 'Build an image from a Dockerfile'],
  builder: [build, 'Manage builds (builder prune)'],
  commit: [commit, "Create a new image from a container's changes"],
  cp: [archive, 'Copy files/folders between a container and the local filesystem'],
  create: [containers, 'Create a new container'],
  demo: [system, 'Create the demo image and start the demo containers'],
  diff: [commit, "Inspect changes to files or directories on a container's filesystem"],
  exec: [exec, 'Execute a command in a running container'],
  export: [archive, "Export a container's filesystem as a tar archive"],
  history: [imageTools, 'Show the history of an image'],
  'image prune': [imageTools, 'Remove unused images'],
  images: [images, 'List images'],
  import: [images, 'Import the contents from a tarball to create a filesystem image'],
  info: [system, 'Display system-wide information'],
  inspect: [inspect, 'Return low-level information on containers or images'],
  kill: [containers, 'Kill one or more running containers'],
  load: [archive, 'Load an image from a tar archive or STDIN'],
  login: [registry, 'Log in to a registry'],
  logout: [registry, 'Log out from a registry'],
  logs: [logs, 'Fetch the logs of a container'],
  network: [network, 'Manage networks'],
  pause: [containers, 'Pause all processes within one or more containers'],
  port: [port, 'List port mappings or a specific mapping for the container'],
  ps: [ps, 'List containers'],
  pull: [registry, 'Download an image from a registry'],
  push: [registry, 'Upload an image to a registry'],
  rename: [containers, 'Rename a container'],
  restart: [containers, 'Restart one or more containers'],
  rm: [containers, 'Remove one or more containers'],
  rmi: [images, 'Remove one or more images'],
  run: [containers, 'Create and run a new container from an image'],
  save: [archive, 'Save one or more images to a tar archive (streamed to STDOUT by default)'],
  start: [containers, 'Start one or more stopped containers'],
  stats: [stats, 'Display a live stream of container(s) resource usage statistics'],
  stop: [containers, 'Stop one or more running containers'],
  system: [system, 'Manage strata (system check)'],
  tag: [images, 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'],
  top: [containers, 'Display the running processes of a container'],
  unpause: [containers, 'Unpause all processes within one or more containers'],
  version: [system, 'Show the strata version information'],
  volume: [volume, 'Manage volumes'],
  wait: [containers, 'Block until one or more containers stop, then print their exit codes'],
};

// docker's management commands (`container ls`, `image rm`) map onto the short verbs.
const MANAGEMENT: Record<string, Record<string, string>> = {
  container: { ls: 'ps', list: 'ps', rm: 'rm', remove: 'rm', inspect: 'inspect', prune: '', ...selfNamed(['attach', 'commit', 'cp', 'export', 'diff', 'create', 'exec', 'kill', 'logs', 'pause', 'rename', 'restart', 'run', 'start', 'stats', 'stop', 'top', 'unpause', 'wait']) },
  image: { ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', import: 'import', save: 'save', load: 'load', history: 'history', prune: 'image prune', build: 'build', tag: 'tag', inspect: 'inspect', pull: 'pull', push: 'push' },
};

function selfNamed(verbs: string[]): Record<string, string> {
  return Object.fromEntries(verbs.map((v) => [v, v]));
}

function usage(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  const lines = [
    '',
    'Usage:  strata [OPTIONS] COMMAND',
    '',
    'A daemonless container manager for the terminal',
    '',
    'Global options:',
    '      --root string          Root of the store (default "/var/lib/strata", env STRATA_ROOT)',
    '      --runtime-dir string   Runtime state (default "/run/strata", env STRATA_RUNTIME_DIR)',
    '  -v, --version              Print version information and quit',
    '  -h, --help                 Print usage',
    '',
    'Commands:',
    ...Object.entries(VERBS).map(([verb, [, summary]]) => `  ${verb.padEnd(width)}  ${summary}`),
    '',
    'Run `strata` alone to see the containers (the demo is set up on first use).',
    "Run 'strata COMMAND --help' for more information on a command.",
    '',
  ];
  return lines.join('\n');
}

let runningVerb: string | undefined; // for the exit code of a failure (verbExitCode)

function report(err: unknown): number {
  usedProcessStreams.add('stderr');
  const e = err as { name?: string; message?: string; exitCode?: number; hint?: string };
  if (e?.name === 'EngineError' || e?.name === 'CliError') {
    const hint = e.hint ? ` (see 'strata ${e.hint} --help')` : '';
    process.stderr.write(`strata: ${e.message}${hint}\n`);
    return verbExitCode(runningVerb, err);
  }
  // Unexpected failures still get one line; STRATA_DEBUG shows where they came from.
  const message = e?.message ?? String(err);
  process.stderr.write(`strata: ${message.split('\n')[0]}\n`);
  if (process.env.STRATA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return verbExitCode(runningVerb, err);
}

async function run(argv: string[]): Promise<number> {
  const { flags, rest } = splitGlobalFlags(argv);
  if (flags.help) {
    writeStdoutSync(usage());
    return 0;
  }
  let [verb, ...verbArgs] = rest;
  if (flags.version && verb === undefined) {
    const { versionLine } = await import('./system.js');
    writeStdoutSync(`${versionLine()}\n`);
    return 0;
  }

  if (verb === 'help') {
    if (verbArgs[0] && VERBS[verbArgs[0]]) [verb, verbArgs] = [verbArgs[0], ['--help']];
    else {
      writeStdoutSync(usage());
      return 0;
    }
  }
  if (verb !== undefined && MANAGEMENT[verb]) {
    const [sub, ...subArgs] = verbArgs;
    const target = sub === undefined ? undefined : MANAGEMENT[verb][sub];
    if (!target) throw new CliError(sub === undefined ? `"strata ${verb}" requires a subcommand (${Object.keys(MANAGEMENT[verb]).filter((k) => MANAGEMENT[verb][k]).join(', ')})` : `unknown command: strata ${verb} ${sub}`);
    verb = target;
    verbArgs = subArgs;
  }

  const ctx = new CliContext(await resolveGlobalOptions(flags));
  try {
    if (verb === undefined) {
      const { defaultView } = await import('./system.js');
      return await defaultView(ctx);
    }
    const entry = VERBS[verb];
    if (!entry) throw new CliError(`'${verb}' is not a strata command.`, 125, undefined);
    const module = await entry[0]();
    if (module.openEngine) ctx.useEngine(module.openEngine);
    runningVerb = verb;
    return await module.main(verb, verbArgs, ctx);
  } finally {
    await ctx.close();
  }
}

async function flush(stream: NodeJS.WriteStream): Promise<void> {
  if (!stream.writableNeedDrain) return;
  await new Promise<void>((resolve) => stream.once('drain', resolve));
}

// No top-level await: the bundle of this entry is CommonJS (see scripts/build.mjs).
void run(process.argv.slice(2))
  .catch(report)
  .then(async (exitCode) => {
    await Promise.all([...usedProcessStreams].map((name) => flush(process[name])));
    // Exit explicitly: an attached stdin or a lingering watcher must not keep us alive.
    process.exit(exitCode);
  });
