// What each `strata compose` subcommand does, on a loaded project: the reconcile for up/down,
// the engine's verbs on the project's containers for the rest, docker compose's output.
import { stringify } from 'yaml';
import type { EngineApi, LogEntry } from '../engine/api.js';
import { psCommand } from '../engine/docker-shape/command.js';
import { psPorts } from '../engine/docker-shape/network-shape.js';
import { timeAgo } from '../engine/format/duration.js';
import { humanSize } from '../engine/format/size.js';
import { type ParsedCommand, flagBool, flagList, flagString, parseInteger } from './args.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { renderTable } from './format/table.js';
import { dockerConfigShape } from '../compose/model/config-shape.js';
import { ComposeError } from '../compose/model/errors.js';
import type { ComposeProject } from '../compose/model/types.js';
import { buildService } from '../compose/reconcile/images.js';
import { down } from '../compose/reconcile/down.js';
import { startOrder } from '../compose/reconcile/order.js';
import type { ProgressEvent } from '../compose/reconcile/progress.js';
import { listProjects, projectContainers, type ProjectContainer } from '../compose/reconcile/project-containers.js';
import { up } from '../compose/reconcile/up.js';

export interface ComposeVerbHelpers {
  load(services: string[]): Promise<ComposeProject>;
  progress(event: ProgressEvent): void;
  timeout(): number | undefined;
  scale(): Record<string, number>;
}

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

async function containersOf(engine: EngineApi, project: ComposeProject, services: string[], all = true): Promise<ProjectContainer[]> {
  for (const s of services) if (!project.services.some((x) => x.name === s) && !project.disabled.includes(s)) throw new ComposeError(`no such service: ${s}`);
  const wanted = new Set(services);
  return (await projectContainers(engine, project.name)).filter((c) => (wanted.size === 0 || wanted.has(c.service)) && (all || c.summary.status === 'running'));
}

/** Lines of several containers, each prefixed by its name; history merged by time, then live. */
async function printLogs(ctx: CliContext, engine: EngineApi, containers: ProjectContainer[], p: ParsedCommand): Promise<void> {
  const follow = flagBool(p, 'follow');
  const tailRaw = flagString(p, 'tail');
  const tail = tailRaw === undefined || tailRaw === 'all' ? undefined : parseInteger(tailRaw, '--tail', { min: 0 });
  const width = Math.max(0, ...containers.map((c) => c.summary.name.length));
  const color = !flagBool(p, 'no-color') && ctx.stdout.isTTY;
  const prefix = (name: string, i: number) => {
    if (flagBool(p, 'no-log-prefix')) return '';
    const text = `${name.padEnd(width)}  | `;
    return color ? `\x1b[${COLORS[i % COLORS.length]}m${text}\x1b[0m` : text;
  };
  const format = (c: number, e: LogEntry) => `${prefix(containers[c].summary.name, c)}${flagBool(p, 'timestamps') ? `${e.time} ` : ''}${e.line.endsWith('\n') ? e.line : `${e.line}\n`}`;
  const history: Array<{ c: number; e: LogEntry }> = [];
  let caughtUp = 0;
  let live = false;
  const flushHistory = () => {
    history.sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : 0));
    for (const h of history) ctx.stdout.write(format(h.c, h.e));
    history.length = 0;
    live = true;
  };
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    await Promise.all(containers.map(async (c, i) => {
      let mineCaughtUp = false;
      const markCaughtUp = () => {
        if (mineCaughtUp) return;
        mineCaughtUp = true;
        if (++caughtUp === containers.length) flushHistory();
      };
      try {
        for await (const e of engine.readLogs(c.summary.id, { follow, tail, signal: abort.signal, caughtUp: markCaughtUp })) {
          if (live) ctx.stdout.write(format(i, e));
          else history.push({ c: i, e });
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
      markCaughtUp();
    }));
  } finally {
    process.off('SIGINT', stop);
  }
  if (!live) flushHistory();
}

async function forEachContainer(ctx: CliContext, containers: ProjectContainer[], fn: (c: ProjectContainer) => Promise<unknown>, action: string): Promise<number> {
  let failed = 0;
  for (const c of containers) {
    try {
      await fn(c);
      ctx.stderr.write(` ✔ Container ${c.summary.name}  ${action}\n`);
    } catch (error) {
      ctx.stderr.write(`Error response from daemon: ${(error as Error).message}\n`);
      failed = 1;
    }
  }
  return failed;
}

function psTable(containers: ProjectContainer[]): string {
  const now = new Date();
  return renderTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], containers.map((c) => [
    c.summary.name, c.summary.image, psCommand(c.summary.command, false), c.service, timeAgo(c.summary.created, now), c.summary.statusText, psPorts(c.summary.ports),
  ]));
}

export async function runComposeVerb(sub: string, p: ParsedCommand, ctx: CliContext, h: ComposeVerbHelpers): Promise<number> {
  if (sub === 'config') {
    const project = await h.load(p.args);
    if (flagBool(p, 'quiet')) return 0;
    if (flagBool(p, 'services')) ctx.stdout.write(project.services.map((s) => `${s.name}\n`).join(''));
    else if (flagBool(p, 'volumes')) ctx.stdout.write(Object.keys(project.volumes).map((v) => `${v}\n`).join(''));
    else if (flagString(p, 'format') === 'json') ctx.stdout.write(`${JSON.stringify(dockerConfigShape(project.model), null, 2)}\n`);
    else ctx.stdout.write(stringify(dockerConfigShape(project.model), { lineWidth: 0 }));
    return 0;
  }
  const engine = await ctx.engine();
  if (sub === 'ls') {
    const projects = (await listProjects(engine)).filter((x) => flagBool(p, 'all') || x.running > 0);
    if (flagBool(p, 'quiet')) ctx.stdout.write(projects.map((x) => `${x.name}\n`).join(''));
    else if (flagString(p, 'format') === 'json') ctx.stdout.write(`${JSON.stringify(projects.map((x) => ({ Name: x.name, Status: statusWords(x), ConfigFiles: x.configFiles })))}\n`);
    else ctx.stdout.write(renderTable(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((x) => [x.name, statusWords(x), x.configFiles])));
    return 0;
  }
  const first = sub === 'exec' || sub === 'port' || sub === 'run';
  const project = await h.load(first ? [p.args[0]] : p.args);
  const services = first ? [p.args[0]] : p.args;
  switch (sub) {
    case 'up':
    case 'create': {
      const pull = flagString(p, 'pull');
      if (pull !== undefined && !['always', 'missing', 'never'].includes(pull)) throw new CliError(`invalid --pull "${pull}": expected always, missing or never`);
      await up(engine, project, {
        services,
        noDeps: flagBool(p, 'no-deps'),
        forceRecreate: flagBool(p, 'force-recreate'),
        noRecreate: flagBool(p, 'no-recreate'),
        noStart: sub === 'create' || flagBool(p, 'no-start'),
        build: flagBool(p, 'build'),
        noBuild: flagBool(p, 'no-build'),
        removeOrphans: flagBool(p, 'remove-orphans'),
        scale: sub === 'up' ? h.scale() : {},
        wait: flagBool(p, 'wait'),
        ...(pull ? { pull: pull as 'always' | 'missing' | 'never' } : {}),
        onWarning: (m) => ctx.stderr.write(`WARN[0000] ${m}\n`),
      }, h.progress);
      if (sub === 'up' && !flagBool(p, 'detach') && !flagBool(p, 'wait') && !flagBool(p, 'no-start')) {
        // Attached: the services' logs until they all end or Ctrl-C, which stops them.
        const containers = await containersOf(engine, project, services);
        let interrupted = false;
        const onSigint = () => {
          interrupted = true;
        };
        process.once('SIGINT', onSigint);
        await printLogs(ctx, engine, containers, { flags: { follow: true }, args: [], help: false });
        process.off('SIGINT', onSigint);
        if (interrupted) {
          ctx.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
          for (const c of [...containers].reverse()) await engine.stopContainer(c.summary.id, h.timeout()).catch(() => undefined);
        }
      }
      return 0;
    }
    case 'down':
      if (p.args.length > 0) {
        const containers = await containersOf(engine, project, services);
        for (const c of containers) {
          await engine.stopContainer(c.summary.id, h.timeout());
          await engine.removeContainer(c.summary.id, true, flagBool(p, 'volumes'));
          h.progress({ kind: 'Container', name: c.summary.name, action: 'Removed', done: true });
        }
        return 0;
      }
      {
        const rmi = flagString(p, 'rmi');
        if (rmi !== undefined && rmi !== 'local' && rmi !== 'all') throw new CliError(`invalid --rmi "${rmi}": expected local or all`);
        await down(engine, project, { volumes: flagBool(p, 'volumes'), rmi: rmi as 'local' | 'all' | undefined, removeOrphans: flagBool(p, 'remove-orphans'), timeoutSeconds: h.timeout() }, h.progress);
      }
      return 0;
    case 'ps': {
      const containers = (await containersOf(engine, project, services, flagBool(p, 'all'))).filter((c) => flagBool(p, 'all') || !c.oneoff);
      const format = flagString(p, 'format');
      if (flagBool(p, 'quiet')) ctx.stdout.write(containers.map((c) => `${c.summary.id}\n`).join(''));
      else if (flagBool(p, 'services')) ctx.stdout.write([...new Set(containers.map((c) => c.service))].map((s) => `${s}\n`).join(''));
      else if (format === 'json') ctx.stdout.write(containers.map((c) => `${JSON.stringify({ ID: c.summary.id, Name: c.summary.name, Image: c.summary.image, Command: c.summary.command, Project: project.name, Service: c.service, State: c.summary.status, Status: c.summary.statusText, Health: '', ExitCode: c.summary.exitCode, Publishers: (c.summary.ports ?? []).map((x) => ({ URL: x.hostIp, TargetPort: x.containerPort, PublishedPort: x.hostPort, Protocol: x.protocol })) })}\n`).join(''));
      else ctx.stdout.write(psTable(containers));
      return 0;
    }
    case 'logs':
      await printLogs(ctx, engine, await containersOf(engine, project, services), p);
      return 0;
    case 'build': {
      const chosen = project.services.filter((s) => s.build && (services.length === 0 || services.includes(s.name)));
      for (const s of chosen) {
        await buildService(engine, project, flagBool(p, 'no-cache') ? { ...s, build: { ...s.build!, noCache: true } } : s, h.progress, flagBool(p, 'quiet') ? undefined : (text) => ctx.stderr.write(text));
      }
      return 0;
    }
    case 'pull': {
      let failed = 0;
      for (const s of project.services.filter((x) => x.image && (services.length === 0 || services.includes(x.name)))) {
        try {
          await engine.pullImage(s.image!);
          h.progress({ kind: 'Image', name: s.image!, action: 'Pulled', done: true });
        } catch (error) {
          if (s.build) continue; // docker compose skips what it can build
          ctx.stderr.write(`Error response from daemon: ${(error as Error).message}\n`);
          failed = 1;
        }
      }
      return failed;
    }
    case 'start': {
      const order = startOrder(project.services).map((s) => s.name);
      const containers = (await containersOf(engine, project, services)).sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
      if (containers.length === 0) throw new ComposeError('service(s) have no container to start: run compose up first');
      return forEachContainer(ctx, containers.filter((c) => c.summary.status !== 'running'), (c) => engine.startContainer(c.summary.id), 'Started');
    }
    case 'stop':
      return forEachContainer(ctx, (await containersOf(engine, project, services, false)).reverse(), (c) => engine.stopContainer(c.summary.id, h.timeout()), 'Stopped');
    case 'restart':
      return forEachContainer(ctx, await containersOf(engine, project, services), (c) => engine.restartContainer(c.summary.id, h.timeout()), 'Restarted');
    case 'pause':
      return forEachContainer(ctx, await containersOf(engine, project, services, false), (c) => engine.pauseContainer(c.summary.id), 'Paused');
    case 'unpause':
      return forEachContainer(ctx, (await containersOf(engine, project, services)).filter((c) => c.summary.status === 'paused'), (c) => engine.unpauseContainer(c.summary.id), 'Unpaused');
    case 'kill':
      return forEachContainer(ctx, await containersOf(engine, project, services, false), (c) => engine.killContainer(c.summary.id, flagString(p, 'signal') ?? 'SIGKILL'), 'Killed');
    case 'rm': {
      const all = await containersOf(engine, project, services);
      const running = all.filter((c) => c.summary.status === 'running' || c.summary.status === 'paused');
      if (flagBool(p, 'stop')) for (const c of running) await engine.stopContainer(c.summary.id);
      const doomed = flagBool(p, 'stop') ? all : all.filter((c) => !running.includes(c));
      if (doomed.length === 0) {
        ctx.stderr.write('No stopped containers\n');
        return 0;
      }
      return forEachContainer(ctx, doomed, (c) => engine.removeContainer(c.summary.id, true, flagBool(p, 'volumes')), 'Removed');
    }
    case 'exec': {
      const [service, ...cmd] = p.args;
      const index = parseInteger(flagString(p, 'index') ?? '1', '--index', { min: 1 });
      const target = (await containersOf(engine, project, [service], false)).find((c) => c.number === index && !c.oneoff);
      if (!target) throw new ComposeError(`service "${service}" is not running`);
      const tty = !flagBool(p, 'no-TTY') && !!ctx.stdin.isTTY && !flagBool(p, 'detach');
      const args = [
        ...(flagBool(p, 'detach') ? ['-d'] : ['-i']), ...(tty ? ['-t'] : []), ...(flagBool(p, 'privileged') ? ['--privileged'] : []),
        ...flagList(p, 'env').flatMap((e) => ['-e', e]),
        ...(flagString(p, 'user') ? ['-u', flagString(p, 'user')!] : []),
        ...(flagString(p, 'workdir') ? ['-w', flagString(p, 'workdir')!] : []),
        target.summary.name, ...cmd,
      ];
      const exec = await import('./exec.js');
      return exec.main('exec', args, ctx);
    }
    case 'run': {
      const { composeRun } = await import('./compose-run.js');
      return composeRun(ctx, engine, project, p, h.progress);
    }
    case 'top': {
      for (const c of await containersOf(engine, project, services, false)) {
        const { titles, processes } = await engine.topWithPs(c.summary.id, []);
        ctx.stdout.write(`${c.summary.name}\n${renderTable(titles, processes)}\n`);
      }
      return 0;
    }
    case 'images': {
      const rows: string[][] = [];
      for (const c of await containersOf(engine, project, services)) {
        const image = await engine.inspectImage(c.summary.imageId).catch(() => undefined);
        const [repo, tag = 'latest'] = (image?.repoTags[0] ?? c.summary.image).split(/:(?=[^:/]*$)/);
        rows.push([c.summary.name, repo, tag, c.summary.imageId.replace('sha256:', '').slice(0, 12), image ? humanSize(image.size) : '']);
      }
      if (flagBool(p, 'quiet')) ctx.stdout.write([...new Set(rows.map((r) => r[3]))].map((id) => `${id}\n`).join(''));
      else ctx.stdout.write(renderTable(['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], rows));
      return 0;
    }
    case 'port': {
      const [service, privatePort] = p.args;
      const protocol = flagString(p, 'protocol') ?? 'tcp';
      const index = parseInteger(flagString(p, 'index') ?? '1', '--index', { min: 1 });
      const target = (await containersOf(engine, project, [service], false)).find((c) => c.number === index);
      if (!target) throw new ComposeError(`service "${service}" is not running`);
      const port = (await engine.containerPorts(target.summary.id)).find((x) => x.containerPort === Number(privatePort) && x.protocol === protocol);
      if (!port) throw new ComposeError(`no port ${privatePort}/${protocol} for container ${target.summary.name}`);
      ctx.stdout.write(`${port.hostIp}:${port.hostPort}\n`);
      return 0;
    }
    default:
      throw new CliError(`unknown docker command: "compose ${sub}"`);
  }
}

function statusWords(x: { running: number; exited: number; other: number }): string {
  const parts = [];
  if (x.running) parts.push(`running(${x.running})`);
  if (x.exited) parts.push(`exited(${x.exited})`);
  if (x.other) parts.push(`created(${x.other})`);
  return parts.join(', ');
}

