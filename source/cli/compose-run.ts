// `strata compose run`: the flags read into the reconcile's one-off overrides, then the
// container attached as `strata run` attaches one, its exit code ours (docker compose's).
import { shellWords } from '../engine/format/shell-words.js';
import type { EngineApi } from '../engine/api.js';
import { type ParsedCommand, flagBool, flagList, flagString } from './args.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { ComposeError } from '../compose/model/errors.js';
import { parsePorts, parseVolumes } from '../compose/model/canonical.js';
import type { ComposeProject } from '../compose/model/types.js';
import type { ProgressEvent } from '../compose/reconcile/progress.js';
import { createOneOff } from '../compose/reconcile/run.js';

const fail = (at: ReadonlyArray<string | number>, message: string): never => {
  throw new ComposeError(message, { path: at.join('.') });
};

function environment(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq === 0) throw new CliError(`invalid environment variable "${e}"`);
    if (eq > 0) out[e.slice(0, eq)] = e.slice(eq + 1);
    else if (process.env[e] !== undefined) out[e] = process.env[e]!;
  }
  return out;
}

export async function composeRun(ctx: CliContext, engine: EngineApi, project: ComposeProject, p: ParsedCommand, progress: (e: ProgressEvent) => void): Promise<number> {
  const [service, ...command] = p.args;
  const pull = flagString(p, 'pull');
  if (pull !== undefined && !['always', 'missing', 'never'].includes(pull)) throw new CliError(`invalid --pull "${pull}": expected always, missing or never`);
  const entrypoint = flagString(p, 'entrypoint');
  const detach = flagBool(p, 'detach');
  const tty = !flagBool(p, 'no-TTY') && !detach && !!ctx.stdin.isTTY;
  const record = await createOneOff(engine, project, service, {
    ...(command.length ? { command } : {}),
    ...(entrypoint !== undefined ? { entrypoint: shellWords(entrypoint) } : {}),
    env: environment(flagList(p, 'env')),
    labels: Object.fromEntries(flagList(p, 'label').map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)])),
    volumes: parseVolumes(flagList(p, 'volume'), ['--volume'], fail, process.cwd()),
    ports: parsePorts(flagList(p, 'publish'), ['--publish'], fail),
    servicePorts: flagBool(p, 'service-ports'),
    useAliases: flagBool(p, 'use-aliases'),
    ...(flagString(p, 'workdir') ? { workdir: flagString(p, 'workdir') } : {}),
    ...(flagString(p, 'user') !== undefined ? { user: flagString(p, 'user') } : {}),
    ...(flagString(p, 'name') ? { name: flagString(p, 'name') } : {}),
    remove: flagBool(p, 'rm'),
    noDeps: flagBool(p, 'no-deps'),
    tty,
    interactive: !detach,
    build: flagBool(p, 'build'),
    ...(pull ? { pull: pull as 'always' | 'missing' | 'never' } : {}),
  }, progress);
  if (detach) {
    await engine.startContainer(record.id);
    ctx.stdout.write(`${record.name}\n`);
    return 0;
  }
  const { attachedSession } = await import('./containers.js');
  let end;
  try {
    end = await attachedSession(ctx, engine, record.id, { tty, interactive: true }, 'start');
    return end.kind === 'exited' ? end.code : 0;
  } finally {
    if (flagBool(p, 'rm') && end?.kind !== 'detached') await engine.removeContainer(record.id, true, true).catch(() => undefined);
  }
}
