// strata exec: the exec helper gets our terminal directly ('inherit'), so a tty session needs
// no relaying here; its exit code becomes ours. -d spawns the helper detached from us.
import { spawn } from 'node:child_process';
import type { ExecOptions } from '../engine/api.js';
import { type CommandSpec, flagBool, flagList, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { readEnvFile, resolveEnvEntry } from './values.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'exec',
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  summary: SUMMARIES.exec,
  flags: [
    { long: 'detach', short: 'd', kind: 'bool', help: 'Detached mode: run command in the background' },
    { long: 'interactive', short: 'i', kind: 'bool', help: 'Keep STDIN open even if not attached' },
    { long: 'tty', short: 't', kind: 'bool', help: 'Allocate a pseudo-TTY' },
    { long: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
    { long: 'env-file', kind: 'list', help: 'Read in a file of environment variables' },
    { long: 'workdir', short: 'w', kind: 'string', help: 'Working directory inside the container' },
    { long: 'user', short: 'u', kind: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
    { long: 'privileged', kind: 'bool', help: 'Give extended privileges to the command' },
  ],
  // Flags come before the container only: everything after it is the command and its flags.
  stopAtFirstPositional: true,
  minArgs: 2,
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const [ref, ...cmd] = parsed.args;
  const env: string[] = [];
  for (const file of flagList(parsed, 'env-file')) env.push(...readEnvFile(file));
  for (const entry of flagList(parsed, 'env')) {
    const resolved = resolveEnvEntry(entry);
    if (resolved !== undefined) env.push(resolved);
  }
  const detach = flagBool(parsed, 'detach');
  const opts: ExecOptions = {
    cmd,
    env,
    tty: flagBool(parsed, 'tty') && !detach,
    interactive: flagBool(parsed, 'interactive') && !detach,
    privileged: flagBool(parsed, 'privileged'),
  };
  const workdir = flagString(parsed, 'workdir');
  if (workdir !== undefined) opts.workdir = workdir;
  const user = flagString(parsed, 'user');
  if (user !== undefined) opts.user = user;
  if (opts.tty && opts.interactive && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY');

  const engine = await ctx.engine();
  if (detach) {
    const { shim, args } = await engine.execSpecPath(ref, opts);
    const child = spawn(shim, args, { detached: true, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new CliError(`cannot start the exec helper: ${err.message}`)));
    });
    child.unref();
    return 0;
  }

  const { handle } = await engine.exec(ref, opts, 'inherit');
  // The helper shares our terminal and process group: ctrl-c reaches it directly, and we stay
  // alive to report its exit code. Other signals sent to us alone are passed on.
  const ignore = () => undefined;
  const forward = (signal: NodeJS.Signals) => handle.kill(signal);
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  try {
    return await handle.exited;
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
    process.off('SIGTERM', forward);
    process.off('SIGHUP', forward);
  }
};
