// Archive verbs: save, load, export, cp. Output goes to -o FILE (written to a temp file in the
// same directory and renamed, so a failed save leaves no half archive behind) or to stdout when
// that is not a terminal; input comes from -i FILE or stdin.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { ArchiveFormat, EngineApi } from '../engine/api.js';
import { type CommandSpec, type ParsedCommand, flagBool, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { openInputFile } from './input-file.js';
import { humanSize } from '../engine/format/size.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  save: {
    name: 'save',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: SUMMARIES.save,
    flags: [
      { long: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' },
      { long: 'format', kind: 'string', help: "Archive format: 'docker' (docker save, the default) or 'oci' (an OCI image layout)" },
    ],
    minArgs: 1,
  },
  load: {
    name: 'load',
    usage: '[OPTIONS]',
    summary: SUMMARIES.load,
    flags: [
      { long: 'input', short: 'i', kind: 'string', help: 'Read from tar archive file, instead of STDIN' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress the load output' },
    ],
    maxArgs: 0,
  },
  export: {
    name: 'export',
    usage: '[OPTIONS] CONTAINER',
    summary: SUMMARIES.export,
    flags: [{ long: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' }],
    minArgs: 1,
    maxArgs: 1,
  },
  cp: {
    name: 'cp',
    usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tstrata cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
    summary: `${SUMMARIES.cp}\n\nUse '-' as the source to read a tar archive from stdin and extract it to a directory destination in a container.\nUse '-' as the destination to stream a tar archive of a container source to stdout.`,
    flags: [
      { long: 'archive', short: 'a', kind: 'bool', help: 'Archive mode (copy all uid/gid information)' },
      { long: 'follow-link', short: 'L', kind: 'bool', help: 'Always follow symbol link in SRC_PATH' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress progress output during copy' },
    ],
    minArgs: 2,
    maxArgs: 2,
  },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  switch (verb) {
    case 'save':
      return saveVerb(parsed, ctx);
    case 'load':
      return loadVerb(parsed, ctx);
    case 'export':
      return exportVerb(parsed, ctx);
    default:
      return cpVerb(parsed, ctx);
  }
};

async function saveVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const format = flagString(p, 'format') ?? 'docker';
  if (format !== 'docker' && format !== 'oci' && format !== 'docker-archive' && format !== 'oci-archive') {
    throw new CliError(`invalid argument "${format}" for "--format" flag: must be docker or oci`);
  }
  const archiveFormat: ArchiveFormat = format.startsWith('oci') ? 'oci' : 'docker';
  const engine = await ctx.engine();
  await writeOutput(ctx, flagString(p, 'output'), 'save', (out) => engine.saveImages(p.args, out, archiveFormat));
  return 0;
}

async function exportVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const engine = await ctx.engine();
  await engine.inspectContainer(p.args[0]); // "No such container" before any file is made
  await writeOutput(ctx, flagString(p, 'output'), 'export', (out) => engine.exportContainer(p.args[0], out));
  return 0;
}

/** Runs write() against the -o file (atomically) or stdout (refused when it is a terminal, as docker does). */
async function writeOutput(ctx: CliContext, output: string | undefined, verb: string, write: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  if (output === undefined || output === '-') {
    if (ctx.stdout.isTTY) throw new CliError(`cowardly refusing to write the archive to a terminal: use -o FILE or redirect (see 'strata ${verb} --help')`, EXIT_VERB_FAILED);
    await write(ctx.stdout);
    return;
  }
  const target = path.resolve(output);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  let file: fs.WriteStream;
  try {
    file = fs.createWriteStream(temp, { flags: 'wx', mode: 0o644 });
    await new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
  } catch (err) {
    throw new CliError(`cannot write ${output}: ${(err as Error).message}`, EXIT_VERB_FAILED);
  }
  try {
    await write(file);
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    fs.renameSync(temp, target);
  } catch (err) {
    file.destroy();
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

function openInput(ctx: CliContext, input: string | undefined): NodeJS.ReadableStream {
  if (input === undefined || input === '-') {
    if (ctx.stdin.isTTY) throw new CliError('requested load from stdin, but stdin is empty: use -i FILE or pipe an archive in', EXIT_VERB_FAILED);
    return ctx.stdin;
  }
  return openInputFile(input, 1 << 20);
}

async function loadVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const input = openInput(ctx, flagString(p, 'input'));
  const engine = await ctx.engine();
  const result = await engine.loadImages(input);
  if (!flagBool(p, 'quiet')) {
    for (const line of result.untagged) ctx.stdout.write(`${line}\n`);
    for (const image of result.images) {
      if (image.tags.length === 0) ctx.stdout.write(`Loaded image ID: ${image.id}\n`);
      for (const tag of image.tags) ctx.stdout.write(`Loaded image: ${tag}\n`);
    }
  }
  return 0;
}

// ---- cp ------------------------------------------------------------------------------------------

interface Endpoint {
  container?: string;
  path: string;
}

/** docker's rule: CONTAINER:PATH unless the part before ':' looks like a local path (starts with / or .). */
function splitEndpoint(arg: string): Endpoint {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon <= 0) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

async function cpVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const src = splitEndpoint(p.args[0]);
  const dest = splitEndpoint(p.args[1]);
  if (src.container && dest.container) throw new CliError('copying between containers is not supported', EXIT_VERB_FAILED);
  if (!src.container && !dest.container) throw new CliError('must specify at least one container source', EXIT_VERB_FAILED);
  const opts = { followLink: flagBool(p, 'follow-link'), archive: flagBool(p, 'archive') };
  const engine: EngineApi = await ctx.engine();
  if (src.container) {
    if (src.path === '') throw new CliError('source path can not be empty', EXIT_VERB_FAILED);
    if (dest.path === '-') {
      if (ctx.stdout.isTTY) throw new CliError('cowardly refusing to write a tar archive to a terminal: redirect stdout', EXIT_VERB_FAILED);
      await engine.copyFromContainer(src.container, src.path, { stream: ctx.stdout }, opts);
    } else {
      const bytes = await engine.copyFromContainer(src.container, src.path, { path: dest.path }, opts);
      copied(p, ctx, bytes, dest.path);
    }
    return 0;
  }
  if (dest.path === '') throw new CliError('destination path can not be empty', EXIT_VERB_FAILED);
  if (src.path === '-') {
    await engine.copyToContainer(dest.container!, dest.path, { stream: ctx.stdin }, opts);
  } else {
    if (!fs.existsSync(src.path) && !isDanglingLink(src.path)) throw new CliError(`lstat ${path.resolve(src.path)}: no such file or directory`, EXIT_VERB_FAILED);
    const bytes = await engine.copyToContainer(dest.container!, dest.path, { path: src.path }, opts);
    copied(p, ctx, bytes, `${dest.container}:${dest.path}`);
  }
  return 0;
}

/** docker (24+) says how much went where, on stderr, unless -q. */
function copied(p: ParsedCommand, ctx: CliContext, bytes: number, where: string): void {
  if (!flagBool(p, 'quiet')) ctx.stderr.write(`Successfully copied ${humanSize(bytes)} to ${where}\n`);
}

function isDanglingLink(p: string): boolean {
  return fs.lstatSync(p.replace(/\/+$/, ''), { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}
