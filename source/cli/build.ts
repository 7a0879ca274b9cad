// `build` and `builder prune`. Progress comes from the engine as typed events; here it becomes
// docker's classic plain lines (`Step 1/10 : FROM …`, ` ---> Using cache`) when stdout is not a
// terminal, or a compact live view (one line per step, the running step's last output lines)
// on a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { type CommandSpec, flagBool, flagList, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError } from './errors.js';
import { humanSize } from '../engine/format/size.js';
import { plainBuildView, liveBuildView, type BuildView } from './build-view.js';
import { SUMMARIES } from './summaries.js';
import type { BuildOutput, CacheLocation } from '../engine/api.js';

const SPECS: Record<string, CommandSpec> = {
  build: {
    name: 'build',
    usage: '[OPTIONS] PATH',
    summary: SUMMARIES.build,
    flags: [
      { long: 'tag', short: 't', kind: 'list', help: 'Name and optionally a tag in the "name:tag" format' },
      { long: 'file', short: 'f', kind: 'string', help: "Name of the Dockerfile (default: \"PATH/Dockerfile\"; '-' reads stdin)" },
      { long: 'build-arg', kind: 'list', help: 'Set build-time variables' },
      { long: 'target', kind: 'string', help: 'Set the target build stage to build' },
      { long: 'no-cache', kind: 'bool', help: 'Do not use cache when building the image' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress the build output and print image ID on success' },
      { long: 'network', kind: 'string', help: 'Set the networking mode for the RUN instructions during build (default "bridge")' },
      { long: 'progress', kind: 'string', help: 'Type of progress output: auto, plain, tty (default "auto")' },
      { long: 'label', kind: 'list', help: 'Set metadata for an image' },
      { long: 'iidfile', kind: 'string', help: 'Write the image ID to the file' },
      { long: 'pull', kind: 'bool', help: 'Always attempt to pull a newer version of the FROM images' },
      { long: 'platform', kind: 'string', help: 'Set platform for the build (only the host\'s: strata does not emulate)' },
      { long: 'add-host', kind: 'list', help: 'Add a custom host-to-IP mapping (host:ip) for RUN steps' },
      { long: 'secret', kind: 'list', help: 'Secret to expose to RUN --mount=type=secret: id=mysecret,src=/local/secret' },
      { long: 'ssh', kind: 'list', help: 'SSH agent socket to expose to RUN --mount=type=ssh (format: default|<id>[=<socket>])' },
      { long: 'build-context', kind: 'list', help: 'Additional build contexts (e.g., name=path or name=docker-image://ref)' },
      { long: 'output', short: 'o', kind: 'string', help: 'Output destination (format: "type=local,dest=path" or "type=tar,dest=file"; "-o DIR" for local, "-o -" for a tar on stdout)' },
      { long: 'cache-from', kind: 'list', help: 'External cache sources (e.g., "type=local,src=path/to/dir", "type=registry,ref=REF" or REF)' },
      { long: 'cache-to', kind: 'string', help: 'Cache export destination (e.g., "type=local,dest=path/to/dir" or "type=registry,ref=REF")' },
      { long: 'ulimit', kind: 'list', help: 'Ulimit options (accepted for compatibility; RUN steps keep the defaults)' },
      { long: 'shm-size', kind: 'string', help: 'Size of /dev/shm (accepted for compatibility; RUN steps get 64MB)' },
      { long: 'rm', kind: 'bool', help: 'Remove intermediate containers after a successful build (always done)' },
      { long: 'force-rm', kind: 'bool', help: 'Always remove intermediate containers (always done)' },
    ],
    minArgs: 1,
    maxArgs: 1,
  },
  'builder prune': {
    name: 'builder prune',
    usage: '[OPTIONS]',
    summary: 'Remove build cache',
    flags: [
      { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
      { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused build cache (the only kind strata keeps)' },
    ],
    maxArgs: 0,
  },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  if (verb === 'builder') {
    const [sub, ...rest] = argv;
    if (sub !== 'prune') throw new CliError(sub === undefined || sub === '--help' || sub === '-h' ? '"strata builder" requires a subcommand (prune)' : `unknown command: strata builder ${sub}`);
    return pruneVerb(rest, ctx);
  }
  const spec = SPECS.build;
  const p = parseVerbArgs(argv, spec, ctx);
  if (!p) return 0;
  const buildArgs: Record<string, string> = {};
  for (const pair of flagList(p, 'build-arg')) {
    const eq = pair.indexOf('=');
    // `--build-arg NAME` takes the value from our own environment, like docker.
    if (eq < 0) {
      if (process.env[pair] !== undefined) buildArgs[pair] = process.env[pair]!;
    } else {
      buildArgs[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  const file = flagString(p, 'file');
  const context = p.args[0];
  let dockerfile: string | undefined;
  let dockerfileText: string | undefined;
  if (file === '-') dockerfileText = await readAll(ctx.stdin);
  else if (file !== undefined) dockerfile = path.isAbsolute(file) || fs.existsSync(file) ? file : path.join(context, file);

  const progress = flagString(p, 'progress') ?? 'auto';
  if (!['auto', 'plain', 'tty'].includes(progress)) throw new CliError(`invalid --progress value ${JSON.stringify(progress)}: use auto, plain or tty`);
  const quiet = flagBool(p, 'quiet');
  const outputFlag = flagString(p, 'output');
  const output = outputFlag === undefined ? undefined : outputOption(outputFlag, ctx.stdout);
  // a tar on stdout: the progress goes to stderr, as docker's
  const progressOut = output?.type === 'tar' && typeof output.dest !== 'string' ? ctx.stderr : ctx.stdout;
  const live = !quiet && (progress === 'tty' || (progress === 'auto' && progressOut.isTTY === true));
  const view: BuildView | undefined = quiet ? undefined : live ? liveBuildView(progressOut) : plainBuildView(progressOut);
  const buildContexts = Object.fromEntries(flagList(p, 'build-context').map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0 || eq === kv.length - 1) throw new CliError(`invalid context value: ${kv}, expected key=value`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  const ssh = Object.fromEntries(flagList(p, 'ssh').map(sshFlag));
  const cacheFrom = flagList(p, 'cache-from').map((spec) => cacheLocation(spec, 'cache-from', 'src'));
  const cacheToFlag = flagString(p, 'cache-to');
  const cacheTo = cacheToFlag === undefined ? undefined : cacheLocation(cacheToFlag, 'cache-to', 'dest');

  const labels = Object.fromEntries(flagList(p, 'label').map((kv) => (kv.includes('=') ? [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] : [kv, ''])));
  const secrets = Object.fromEntries(flagList(p, 'secret').map(secretFlag));
  for (const u of flagList(p, 'ulimit')) if (!/^[a-z]+=-?\d+(:-?\d+)?$/.test(u)) throw new CliError(`invalid --ulimit ${JSON.stringify(u)}: use name=soft[:hard]`);
  const shm = flagString(p, 'shm-size');
  if (shm !== undefined && !/^\d+(\.\d+)?[bkmg]?b?$/i.test(shm)) throw new CliError(`invalid --shm-size ${JSON.stringify(shm)}`);
  const network = flagString(p, 'network');
  const iidfile = flagString(p, 'iidfile');

  const engine = await ctx.engine();
  try {
    const result = await engine.build({
      context,
      dockerfile,
      dockerfileText,
      tags: flagList(p, 'tag'),
      buildArgs,
      target: flagString(p, 'target'),
      noCache: flagBool(p, 'no-cache'),
      network: network === 'default' ? undefined : network,
      labels,
      pull: flagBool(p, 'pull'),
      platform: flagString(p, 'platform'),
      extraHosts: flagList(p, 'add-host'),
      secrets,
      ssh,
      buildContexts,
      output,
      cacheFrom,
      cacheTo,
      onEvent: view?.event,
    });
    view?.close();
    if (iidfile !== undefined) fs.writeFileSync(iidfile, result.imageId);
    if (quiet) ctx.stdout.write(`${result.imageId}\n`);
    return 0;
  } catch (err) {
    view?.close();
    const failure = err as { tail?: string; message?: string };
    // A failed RUN's last output, when the live view did not leave it on screen.
    if (failure.tail && (quiet || live)) ctx.stderr.write(failure.tail.endsWith('\n') ? failure.tail : `${failure.tail}\n`);
    throw err;
  }
};

function csvFields(spec: string): Map<string, string> {
  return new Map(spec.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
}

/** --output: type=local,dest=DIR | type=tar,dest=FILE|- | DIR | - (a tar on stdout), as docker's. */
function outputOption(spec: string, stdout: NodeJS.WritableStream): BuildOutput {
  if (spec === '-') return { type: 'tar', dest: stdout };
  if (!spec.includes('=')) return { type: 'local', dest: path.resolve(spec) };
  const fields = csvFields(spec);
  const type = fields.get('type') ?? 'local';
  const dest = fields.get('dest');
  if (type === 'local' || type === 'tar') {
    if (!dest) throw new CliError(`invalid --output ${JSON.stringify(spec)}: dest is required for type=${type}`);
    return dest === '-' && type === 'tar' ? { type: 'tar', dest: stdout } : { type, dest: path.resolve(dest) };
  }
  throw new CliError(`invalid --output ${JSON.stringify(spec)}: strata exports type=local or type=tar (an image is what a build without --output makes)`);
}

/** --cache-from/--cache-to: type=local,src|dest=DIR, type=registry,ref=REF, or (docker's short form) a bare REF. */
function cacheLocation(spec: string, flag: string, key: 'src' | 'dest'): CacheLocation {
  if (!spec.includes('=')) return { type: 'registry', ref: spec };
  const fields = csvFields(spec);
  const type = fields.get('type') ?? 'local';
  if (type === 'registry') {
    const ref = fields.get('ref');
    if (!ref) throw new CliError(`invalid --${flag} ${JSON.stringify(spec)}: ref=REF is required for type=registry`);
    return { type: 'registry', ref };
  }
  if (type !== 'local') throw new CliError(`--${flag} type=${type} is not supported: use type=local,${key}=DIR or type=registry,ref=REF`);
  const dir = fields.get(key);
  if (!dir) throw new CliError(`invalid --${flag} ${JSON.stringify(spec)}: ${key}=DIR is required for type=local`);
  return { type: 'local', dir: path.resolve(dir) };
}

/** --ssh default | ID | ID=SOCKET: an agent's socket (SSH_AUTH_SOCK when none is named); key files are refused. */
function sshFlag(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  const id = eq < 0 ? spec : spec.slice(0, eq);
  const socket = eq < 0 ? process.env.SSH_AUTH_SOCK : spec.slice(eq + 1).split(',')[0];
  if (!id) throw new CliError(`invalid --ssh ${JSON.stringify(spec)}: use default|<id>[=<socket>]`);
  if (!socket) throw new CliError('invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set');
  if (!fs.statSync(socket, { throwIfNoEntry: false })?.isSocket()) throw new CliError(`--ssh ${id}: ${socket} is not an SSH agent socket (strata forwards an agent; key files are not supported)`);
  return [id, path.resolve(socket)];
}

/** --secret id=ID,src=FILE (or source=FILE) → [ID, FILE]. */
function secretFlag(spec: string): [string, string] {
  const fields = new Map(spec.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  const id = fields.get('id');
  const src = fields.get('src') ?? fields.get('source');
  if (!id || !src) throw new CliError(`invalid --secret ${JSON.stringify(spec)}: use id=ID,src=FILE`);
  if (!fs.existsSync(src)) throw new CliError(`--secret ${id}: ${src}: no such file`);
  return [id, path.resolve(src)];
}

async function pruneVerb(argv: string[], ctx: CliContext): Promise<number> {
  const spec = SPECS['builder prune'];
  const p = parseVerbArgs(argv, spec, ctx);
  if (!p) return 0;
  if (!flagBool(p, 'force')) {
    ctx.stdout.write('WARNING! This will remove all dangling build cache.\nAre you sure you want to continue? [y/N] ');
    const answer = (await readLine(ctx.stdin)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return 0;
  }
  const engine = await ctx.engine();
  const pruned = await engine.pruneBuildCache();
  if (pruned.images.length > 0) ctx.stdout.write(`Deleted build cache objects:\n${pruned.images.map((id) => `${id.replace(/^sha256:/, '').slice(0, 25)}\n`).join('')}\n`);
  ctx.stdout.write(`Total reclaimed space: ${humanSize(pruned.reclaimedBytes)}\n`);
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

function readLine(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.pause();
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) done();
    };
    stream.on('data', onData);
    stream.on('end', done);
  });
}
