// System verbs: info, version, system check, demo — and what `strata` alone shows.
import os from 'node:os';
import { type CommandSpec, flagBool, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError } from './errors.js';
import { configFilePath } from './globals.js';
import { bytesSize } from '../engine/format/size.js';
import type { RootlessInfo } from '../engine/api.js';
import { renderTable } from './format/table.js';
import { checkTemplate, renderTemplate } from './format/template.js';
import { listForPs, renderPsTable } from './ps.js';
import packageJson from '../../package.json' with { type: 'json' };
import { SUMMARIES } from './summaries.js';

// as docker reports them on a host without SELinux/AppArmor: its seccomp profile, cgroup namespaces
const SECURITY_OPTIONS = ['name=seccomp,profile=builtin', 'name=cgroupns'];

const SPECS: Record<string, CommandSpec> = {
  info: {
    name: 'info',
    usage: '[OPTIONS]',
    summary: SUMMARIES.info,
    flags: [{ long: 'format', short: 'f', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" }],
    maxArgs: 0,
  },
  version: {
    name: 'version',
    usage: '[OPTIONS]',
    summary: SUMMARIES.version,
    flags: [{ long: 'format', short: 'f', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" }],
    maxArgs: 0,
  },
  'system check': {
    name: 'system check',
    usage: '',
    summary: 'Verify the store: blob digests, layers, records, leftover temp files',
    flags: [{ long: 'quiet', short: 'q', kind: 'bool', help: 'Print nothing; the exit code tells (0 clean, 1 problems)' }],
    maxArgs: 0,
  },
  'system boot': {
    name: 'system boot',
    usage: '',
    summary: 'After a reboot: start the containers whose restart policy is always or unless-stopped (for a systemd unit)',
    flags: [],
    maxArgs: 0,
  },
  'system service': {
    name: 'system service',
    usage: '[OPTIONS]',
    summary: 'Serve the Docker Engine API on a Unix socket (DOCKER_HOST=unix://…): the docker CLI and SDKs drive strata',
    flags: [
      { long: 'socket', kind: 'string', help: 'The Unix socket to listen on (default /run/strata/docker.sock)' },
      { long: 'timeout', kind: 'string', help: 'Exit after this many idle seconds (0: never)' },
      { long: 'tcp', kind: 'string', help: 'Also listen on this loopback address without TLS (127.0.0.1:PORT)' },
      { long: 'group', kind: 'string', help: "The socket's group (name or gid); its mode is 0660" },
    ],
    maxArgs: 0,
  },
  demo: {
    name: 'demo',
    usage: '[OPTIONS]',
    summary: SUMMARIES.demo,
    flags: [{ long: 'no-containers', kind: 'bool', help: 'Only create the image' }],
    maxArgs: 0,
  },
};

// docker's words for the default log options, e.g. ["max-size=10m", "max-file=3"]
function logOptionWords(log: { maxSizeBytes?: number; maxFiles?: number }): string[] {
  return [
    ...(log.maxSizeBytes !== undefined ? [`max-size=${log.maxSizeBytes}`] : []),
    ...(log.maxFiles !== undefined ? [`max-file=${log.maxFiles}`] : []),
  ];
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

export const main: VerbMain = async (verb, argv, ctx) => {
  if (verb === 'system') {
    const [sub, ...rest] = argv;
    if (sub === 'check') return run('system check', rest, ctx);
    if (sub === 'boot') return run('system boot', rest, ctx);
    if (sub === 'service') return run('system service', rest, ctx);
    if (sub === 'df') return (await import('./disk-usage.js')).main('system df', rest, ctx);
    if (sub === 'info') return run('info', rest, ctx);
    if (sub === 'prune') return (await import('./prune.js')).main('system prune', rest, ctx);
    if (sub === 'events') return (await import('./events.js')).main('events', rest, ctx);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      ctx.stdout.write('\nUsage:  strata system COMMAND\n\nManage strata\n\nCommands:\n  boot     Start the containers a restart policy brings back after a reboot\n  check    Verify the store\n  df       Show disk usage\n  events   Get real time events from the server\n  info     Display system-wide information\n  prune    Remove unused data\n  service  Serve the Docker Engine API on a socket\n\n');
      return sub === undefined ? 125 : 0;
    }
    throw new CliError(`unknown command: strata system ${sub}`);
  }
  return run(verb, argv, ctx);
};

async function run(name: string, argv: string[], ctx: CliContext): Promise<number> {
  const spec = SPECS[name];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  const format = flagString(parsed, 'format');
  if (format && format !== 'json') checkTemplate(format);
  const printObject = (value: object) => ctx.stdout.write(`${format === 'json' ? JSON.stringify(value) : renderTemplate(format!, value)}\n`);

  switch (name) {
    case 'version': {
      const version = {
        Version: packageJson.version,
        NodeVersion: process.version,
        Os: process.platform,
        Arch: ARCH[process.arch] ?? process.arch,
        KernelVersion: os.release(),
      };
      if (format) printObject(version);
      else
        ctx.stdout.write(
          [`strata:`, ` Version:        ${version.Version}`, ` Node.js:        ${version.NodeVersion}`, ` OS/Arch:        ${version.Os}/${version.Arch}`, ` Kernel Version: ${version.KernelVersion}`, ''].join('\n'),
        );
      return 0;
    }
    case 'info': {
      const info = await (await ctx.engine()).info();
      if (format) {
        // docker's key names too, for scripts written for `docker info -f '{{.OSType}}'`
        printObject({
          ...info,
          ID: '', Containers: info.containers, ContainersRunning: info.running, ContainersPaused: info.paused, ContainersStopped: info.stopped,
          Images: info.images, Driver: 'overlay', KernelVersion: info.kernel, OperatingSystem: info.os, OSType: 'linux',
          Architecture: ARCH[process.arch] ?? process.arch, NCPU: info.cpus, MemTotal: info.memTotal, DockerRootDir: info.root,
          ServerVersion: info.version, Name: os.hostname(), LoggingDriver: 'json-file',
          SecurityOptions: info.rootless.rootless ? [...SECURITY_OPTIONS, 'name=rootless'] : SECURITY_OPTIONS,
          LogOptions: logOptionWords(info.logDefaults),
        });
        return 0;
      }
      const cgroups = Object.entries(info.cgroupLayout).map(([controller, layout]) => `${controller}=${layout}`).join(' ');
      ctx.stdout.write(
        [
          `Containers: ${info.containers}`,
          ` Running: ${info.running}`,
          ` Paused: ${info.paused}`,
          ` Stopped: ${info.stopped}`,
          `Images: ${info.images}`,
          `Server Version: ${info.version}`,
          `Storage Driver: overlay`,
          'Logging Driver: json-file',
          ` Default Log Options: ${logOptionWords(info.logDefaults).join(' ') || 'none (unbounded)'}`,
          `Cgroup Controllers: ${cgroups || 'none'}`,
          'Security Options:',
          ' seccomp',
          '  Profile: builtin',
          ' cgroupns',
          ...(info.userns.available ? [' userns'] : []),
          `User Namespaces: ${info.userns.available ? 'available' : 'unavailable'} (${info.userns.detail}); idmapped mounts: ${info.userns.idmappedMounts ? 'yes' : 'no'}; default --userns=${info.userns.defaultMode}`,
          `Kernel Version: ${info.kernel}`,
          `Operating System: ${info.os}`,
          `Architecture: ${ARCH[process.arch] ?? process.arch}`,
          `CPUs: ${info.cpus}`,
          `Total Memory: ${bytesSize(info.memTotal)}`,
          ...rootlessLines(info.rootless),
          `Strata Root Dir: ${info.root}`,
          `Runtime Dir: ${info.runtimeDir}`,
          '',
        ].join('\n'),
      );
      return 0;
    }
    case 'system check': {
      const problems = await (await ctx.engine()).check();
      if (!flagBool(parsed, 'quiet')) {
        if (problems.length === 0) ctx.stdout.write(`No problems found in ${ctx.globals.root}\n`);
        else ctx.stdout.write(renderTable(['KIND', 'PATH', 'DETAIL'], problems.map((p) => [p.kind, p.path, p.detail])));
      }
      return problems.length === 0 ? 0 : 1;
    }
    case 'system boot': {
      const result = await (await ctx.engine()).bootContainers();
      for (const id of result.started) ctx.stdout.write(`${id}\n`);
      for (const f of result.failed) ctx.stderr.write(`Error starting container ${f.id}: ${f.error}\n`);
      return result.failed.length === 0 ? 0 : 1;
    }
    case 'system service': {
      const timeoutText = flagString(parsed, 'timeout') ?? '0';
      const timeoutSeconds = Number(timeoutText);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw new CliError(`invalid argument "${timeoutText}" for "--timeout" flag: expected seconds (0: never)`);
      const { runService, DEFAULT_SOCKET, parseLoopback } = await import('../api-server/serve.js');
      const tcp = flagString(parsed, 'tcp');
      if (tcp !== undefined) {
        try { parseLoopback(tcp); } catch (err) { throw new CliError((err as Error).message); }
      }
      const engine = await ctx.engine();
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runService(engine, {
          socket: flagString(parsed, 'socket') ?? DEFAULT_SOCKET,
          timeoutSeconds,
          ...(tcp !== undefined ? { tcp } : {}),
          ...(flagString(parsed, 'group') !== undefined ? { group: flagString(parsed, 'group')! } : {}),
          signal: stop.signal,
          ready: (where) => ctx.stderr.write(`strata: serving the Docker API on ${where.join(', ')}\n`),
          log: (line) => ctx.stderr.write(`strata: ${line}\n`),
        });
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError((err as Error).message);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return 0;
    }
    case 'demo': {
      const engine = await ctx.engine();
      const { ensureDemo, DEMO_IMAGE } = await import('../engine/demo.js');
      const result = await ensureDemo(engine, { containers: !flagBool(parsed, 'no-containers') });
      if (result.imported) ctx.stdout.write(`Imported ${DEMO_IMAGE} (${result.imported.id})\n`);
      else ctx.stdout.write(`${DEMO_IMAGE} is already there\n`);
      if (result.started.length) ctx.stdout.write(`Started ${result.started.join(', ')}\n`);
      ctx.stdout.write('Try: strata ps, strata logs -f clock, strata stats, strata run --rm -it strata/busybox\n');
      return 0;
    }
  }
  throw new CliError(`unknown command: ${name}`);
}

export function versionLine(): string {
  return `strata version ${packageJson.version}`;
}

// `strata` alone: the TUI on a terminal — after setting up the demo on an empty store, so the
// first run has something to show. Piped or redirected, the `ps -a` table instead.
export async function defaultView(ctx: CliContext): Promise<number> {
  const interactive = Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY);
  // Loaded only here, so no other verb pays for Ink and React; started before the engine opens
  // so the two overlap.
  const tui = interactive ? import('../tui/index.js').then((m) => (m.preloadTui(), m)) : undefined;
  const engine = await ctx.engine();
  try {
    const { ensureDemo } = await import('../engine/demo.js');
    const result = await ensureDemo(engine, { onlyIfNoImages: true });
    if (result.imported) ctx.stderr.write(`strata: first run: imported the demo image ${result.imported.repoTags[0] ?? result.imported.id}\n`);
  } catch (err) {
    // The demo is a nicety: the view still comes up without it.
    ctx.stderr.write(`strata: demo not set up: ${(err as Error).message}\n`);
  }
  if (tui) {
    const { runTui } = await tui;
    await runTui(engine, { configFile: await configFilePath() });
    return 0;
  }
  ctx.stdout.write(renderPsTable(await listForPs(engine, true), false));
  return 0;
}

function rootlessLines(r: RootlessInfo): string[] {
  if (!r.rootless) return ['Rootless: false'];
  return [
    'Rootless: true',
    ` User: uid ${r.uid}, gid ${r.gid}`,
    ` ID Maps: uid ${r.uidMap?.join(' ')}; gid ${r.gidMap?.join(' ')} (inside:host:count)`,
    ` Storage: ${r.storage}`,
    ` Cgroups: ${r.cgroups}`,
    ` Networks: ${r.networks}`,
  ];
}
