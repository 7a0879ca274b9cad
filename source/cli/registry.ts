// Registry verbs: pull, push, login, logout — docker's output lines, per-layer progress bars on
// a terminal (plain lines otherwise), credentials from flags or stdin.
import readline from 'node:readline';
import { type CommandSpec, type ParsedCommand, flagBool, flagString, parseVerbArgs, parseInteger } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { pullShowingProgress, withProgress } from './pull-output.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  pull: {
    name: 'pull',
    usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
    summary: SUMMARIES.pull,
    flags: [
      { long: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable (os/arch[/variant])' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
    ],
    minArgs: 1,
    maxArgs: 1,
  },
  push: {
    name: 'push',
    usage: '[OPTIONS] NAME[:TAG]',
    summary: SUMMARIES.push,
    flags: [
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
      { long: 'chunk-size', kind: 'string', value: 'int', help: 'Upload blobs in chunks of this many bytes (default: one request per blob)' },
    ],
    minArgs: 1,
    maxArgs: 1,
  },
  login: {
    name: 'login',
    usage: '[OPTIONS] [SERVER]',
    summary: SUMMARIES.login,
    flags: [
      { long: 'username', short: 'u', kind: 'string', help: 'Username' },
      { long: 'password', short: 'p', kind: 'string', help: 'Password' },
      { long: 'password-stdin', kind: 'bool', help: 'Take the password from stdin' },
    ],
    maxArgs: 1,
  },
  logout: { name: 'logout', usage: '[SERVER]', summary: SUMMARIES.logout, flags: [], maxArgs: 1 },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  if (verb === 'pull') return pullVerb(parsed, ctx);
  if (verb === 'push') return pushVerb(parsed, ctx);
  if (verb === 'login') return loginVerb(parsed, ctx);
  return logoutVerb(parsed, ctx);
};

async function pullVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const [ref] = p.args;
  const engine = await ctx.engine();
  const result = await pullShowingProgress(engine, ref, ctx.stdout, { quiet: flagBool(p, 'quiet'), platform: flagString(p, 'platform') });
  ctx.stdout.write(`${result.reference}\n`);
  return 0;
}

async function pushVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const [ref] = p.args;
  const quiet = flagBool(p, 'quiet');
  const chunk = flagString(p, 'chunk-size');
  const engine = await ctx.engine();
  const target = /:[\w][\w.-]*$/.test(ref.slice(ref.lastIndexOf('/') + 1)) || ref.includes('@') ? ref : `${ref}:latest`;
  if (!quiet) ctx.stdout.write(`The push refers to repository [${target.replace(/[:@][^:/@]*$/, '')}]\n`);
  const result = await withProgress(engine, ctx.stdout, quiet, () => engine.pushImage(target, { chunkSize: chunk === undefined ? undefined : parseInteger(chunk, 'chunk-size', { min: 1 }) }));
  ctx.stdout.write(quiet ? `${result.repository}:${result.tag}\n` : `${result.tag}: digest: ${result.digest} size: ${result.size}\n`);
  return 0;
}

async function loginVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const server = p.args[0];
  let username = flagString(p, 'username');
  let password = flagString(p, 'password');
  if (password !== undefined && flagBool(p, 'password-stdin')) throw new CliError('--password and --password-stdin are mutually exclusive', EXIT_VERB_FAILED);
  if (flagBool(p, 'password-stdin')) {
    if (username === undefined) throw new CliError('Must provide --username with --password-stdin', EXIT_VERB_FAILED);
    password = (await readAll(ctx.stdin)).replace(/\r?\n$/, '');
  } else if (password !== undefined) {
    ctx.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
  if (username === undefined || password === undefined) {
    if (!ctx.stdin.isTTY) throw new CliError('Cannot perform an interactive login from a non TTY device', EXIT_VERB_FAILED);
    username ??= await prompt(ctx, 'Username: ', false);
    password ??= await prompt(ctx, 'Password: ', true);
  }
  const engine = await ctx.engine();
  await engine.login(server ?? '', username, password);
  ctx.stdout.write('Login Succeeded\n');
  return 0;
}

async function logoutVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const server = p.args[0] ?? 'docker.io';
  const engine = await ctx.engine();
  const outcome = await engine.logout(server);
  ctx.stdout.write(outcome === 'removed' ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

function prompt(ctx: CliContext, question: string, secret: boolean): Promise<string> {
  const rl = readline.createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: true });
  if (secret) {
    // readline echoes through _writeToOutput; muting it hides the password as docker does
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) ctx.stdout.write(question);
    };
  }
  return new Promise((resolve) => rl.question(question, (answer) => {
    rl.close();
    if (secret) ctx.stdout.write('\n');
    resolve(answer.trim());
  }));
}
