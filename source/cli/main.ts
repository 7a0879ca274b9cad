// strata's entry point. It imports almost nothing eagerly: `strata ps` must start nearly as fast
// as `node -e 0`, so `ps` is bundled with it and each other verb group is loaded by a dynamic
// import once the verb is known.
import { CliContext, type EngineOpener, type VerbMain, usedProcessStreams } from './context.js';
import { writeStdoutSync } from './stdout-sync.js';
import { CliError, verbExitCode } from './errors.js';
import { resolveGlobalOptions, splitGlobalFlags } from './globals.js';
import { needsRootlessEntry } from '../engine/rootless/paths.js';
import { SUMMARIES, type Verb } from './summaries.js';

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
const events: VerbLoader = () => import('./events.js');
const prune: VerbLoader = () => import('./prune.js');
const search: VerbLoader = () => import('./search.js');
const update: VerbLoader = () => import('./update.js');
const compose: VerbLoader = () => import('./compose.js');
const kube: VerbLoader = () => import('./kube.js');

// Every verb in SUMMARIES has its loader here, and no other.
const VERBS: Record<Verb, VerbLoader> = {
  attach: containers,
  build: build,
  builder: build,
  commit: commit,
  compose: compose,
  'container prune': prune,
  cp: archive,
  create: containers,
  demo: system,
  diff: commit,
  events: events,
  exec: exec,
  export: archive,
  history: imageTools,
  'image prune': imageTools,
  images: images,
  import: images,
  info: system,
  inspect: inspect,
  kill: containers,
  kube: kube,
  load: archive,
  login: registry,
  logout: registry,
  logs: logs,
  network: network,
  pause: containers,
  port: port,
  ps: ps,
  pull: registry,
  push: registry,
  rename: containers,
  restart: containers,
  rm: containers,
  rmi: images,
  run: containers,
  save: archive,
  search: search,
  start: containers,
  stats: stats,
  stop: containers,
  system: system,
  tag: images,
  top: containers,
  unpause: containers,
  update: update,
  version: system,
  volume: volume,
  wait: containers,
};

function loaderOf(verb: string): VerbLoader | undefined {
  return Object.hasOwn(VERBS, verb) ? VERBS[verb as Verb] : undefined;
}

// docker's management commands (`container ls`, `image rm`) map onto the short verbs, one line
// each. `network`, `volume`, `system` and `builder` are verbs with their own subcommands.
const MANAGEMENT: Record<string, Record<string, string>> = {
  container: {
    ls: 'ps', list: 'ps', ps: 'ps', rm: 'rm', remove: 'rm', prune: 'container prune',
    ...selfNamed(['attach', 'commit', 'cp', 'create', 'diff', 'exec', 'export', 'inspect', 'kill', 'logs', 'pause', 'port', 'rename', 'restart', 'run', 'start', 'stats', 'stop', 'top', 'unpause', 'update', 'wait']),
  },
  image: {
    ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', prune: 'image prune',
    ...selfNamed(['build', 'history', 'import', 'inspect', 'load', 'pull', 'push', 'save', 'tag']),
  },
};

function selfNamed(verbs: string[]): Record<string, string> {
  return Object.fromEntries(verbs.map((v) => [v, v]));
}

function usage(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((v) => v.length));
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
    ...Object.entries(SUMMARIES).map(([verb, summary]) => `  ${verb.padEnd(width)}  ${summary}`),
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
    if (verbArgs[0] && loaderOf(verbArgs[0])) [verb, verbArgs] = [verbArgs[0], ['--help']];
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

  const options = await resolveGlobalOptions(flags);
  if (needsRootlessEntry(process.getuid?.())) {
    const { enterUserNamespace } = await import('../engine/rootless/enter.js');
    enterUserNamespace(options.runtimeDir); // never returns: this command runs again, in the user's namespace
  }
  const ctx = new CliContext(options);
  try {
    if (verb === undefined) {
      const { defaultView } = await import('./system.js');
      return await defaultView(ctx);
    }
    const load = loaderOf(verb);
    if (!load) throw new CliError(`'${verb}' is not a strata command.`, 125, undefined);
    const module = await load();
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
