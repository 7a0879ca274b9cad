// Container verbs: create, run, start, attach, stop, kill, restart, pause, unpause, wait, rm,
// rename, top. (ps has its own module: it must load fast.)
import type { CreateOptions, EngineApi } from '../engine/api.js';
import { type CommandSpec, type FlagSpec, type ParsedCommand, flagBool, flagList, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { renderTable } from './format/table.js';
import { AttachSession, type SessionEnd, type SessionOptions } from './terminal.js';
import { checkPlatform, parseAttachStreams, parseDetachKeys, parsePullPolicy } from './run-values.js';
import { ensureImage, refuseExistingCidfile, writeCidfile } from './create-steps.js';
import { parseExpose, parseMountFlag, parsePublish, parseTmpfsFlag, parseVolumeFlag } from './publish-values.js';
import { readSecurityOpts } from './security-opt-values.js';
import { parseCgroupns, parseInteger, parseLabels, parseLogOpts, readEnvFile, resolveEnvEntry } from './values.js';
import { parseNanoCpus } from '../engine/format/cpus.js';
import { parseRamBytes } from '../engine/format/size.js';
import { SUMMARIES } from './summaries.js';
import { readExtraHostOptions, readExtraLimits } from './run-options.js';
import { readNetworkFlags } from './network-flags.js';
import { applyMonitorFlags, MONITOR_FLAGS } from './monitor-flags.js';

export const CONTAINER_CONFIG_FLAGS: FlagSpec[] = [
  { long: 'interactive', short: 'i', kind: 'bool', help: 'Keep STDIN open even if not attached' },
  { long: 'tty', short: 't', kind: 'bool', help: 'Allocate a pseudo-TTY' },
  { long: 'rm', kind: 'bool', help: 'Automatically remove the container when it exits' },
  { long: 'name', kind: 'string', help: 'Assign a name to the container' },
  { long: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
  { long: 'env-file', kind: 'list', help: 'Read in a file of environment variables' },
  { long: 'workdir', short: 'w', kind: 'string', help: 'Working directory inside the container' },
  { long: 'user', short: 'u', kind: 'string', help: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { long: 'hostname', short: 'h', kind: 'string', help: 'Container host name' },
  { long: 'entrypoint', kind: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { long: 'memory', short: 'm', kind: 'string', value: 'bytes', help: 'Memory limit' },
  { long: 'cpus', kind: 'string', value: 'decimal', help: 'Number of CPUs' },
  { long: 'pids-limit', kind: 'string', value: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
  { long: 'cpu-shares', short: 'c', kind: 'string', value: 'int', help: 'CPU shares (relative weight)' },
  { long: 'privileged', kind: 'bool', help: 'Give extended privileges to this container' },
  { long: 'cap-add', kind: 'list', help: 'Add Linux capabilities' },
  { long: 'cap-drop', kind: 'list', help: 'Drop Linux capabilities' },
  { long: 'cgroupns', kind: 'string', help: 'Cgroup namespace to use (host|private)' },
  { long: 'userns', kind: 'string', help: 'User namespace to use (auto: a subordinate id range of its own; host: none)' },
  { long: 'security-opt', kind: 'list', help: 'Security Options' },
  { long: 'read-only', kind: 'bool', help: "Mount the container's root filesystem as read only" },
  { long: 'init', kind: 'bool', help: 'Run an init inside the container that forwards signals and reaps processes' },
  { long: 'label', short: 'l', kind: 'list', help: 'Set meta data on a container' },
  { long: 'stop-signal', kind: 'string', help: 'Signal to stop the container' },
  { long: 'stop-timeout', kind: 'string', value: 'int', help: 'Timeout (in seconds) to stop a container' },
  { long: 'log-opt', kind: 'list', help: 'Log driver options (max-size=10m, max-file=3)' },
  { long: 'network', kind: 'list', help: 'Connect a container to a network (bridge, none, host, container:NAME or a network name; again for more: name=NET,alias=A,ip=IP,mac-address=MAC)' },
  { long: 'net', kind: 'list', help: 'Alias of --network', hidden: true },
  { long: 'publish', short: 'p', kind: 'list', help: "Publish a container's port(s) to the host ([ip:]hostPort:containerPort[/proto])" },
  { long: 'publish-all', short: 'P', kind: 'bool', help: 'Publish all exposed ports to random ports' },
  { long: 'expose', kind: 'list', help: 'Expose a port or a range of ports' },
  { long: 'add-host', kind: 'list', help: 'Add a custom host-to-IP mapping (host:ip)' },
  { long: 'dns', kind: 'list', help: 'Set custom DNS servers' },
  { long: 'volume', short: 'v', kind: 'list', help: 'Bind mount a volume ([SOURCE:]DEST[:ro|rw])' },
  { long: 'mount', kind: 'list', help: 'Attach a filesystem mount to the container (type=bind|volume|tmpfs,…)' },
  { long: 'tmpfs', kind: 'list', help: 'Mount a tmpfs directory (/path[:size=64m])' },
  { long: 'ulimit', kind: 'list', help: 'Ulimit options (name=soft[:hard])' },
  { long: 'shm-size', kind: 'string', value: 'bytes', help: 'Size of /dev/shm' },
  { long: 'device', kind: 'list', help: 'Add a host device to the container' },
  { long: 'sysctl', kind: 'list', help: 'Sysctl options' },
  { long: 'ipc', kind: 'string', help: 'IPC mode to use' },
  { long: 'pid', kind: 'string', help: 'PID namespace to use' },
  { long: 'uts', kind: 'string', help: 'UTS namespace to use' },
  { long: 'group-add', kind: 'list', help: 'Add additional groups to join' },
  { long: 'dns-search', kind: 'list', help: 'Set custom DNS search domains' },
  { long: 'dns-option', kind: 'list', help: 'Set DNS options' },
  { long: 'domainname', kind: 'string', help: 'Container NIS domain name' },
  { long: 'cidfile', kind: 'string', help: 'Write the container ID to the file' },
  { long: 'pull', kind: 'string', help: 'Pull image before creating ("always", "missing", "never")' },
  { long: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable' },
  { long: 'memory-swap', kind: 'string', value: 'bytes', help: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  { long: 'memory-reservation', kind: 'string', value: 'bytes', help: 'Memory soft limit' },
  { long: 'cpuset-cpus', kind: 'string', help: 'CPUs in which to allow execution (0-3, 0,1)' },
  { long: 'cpuset-mems', kind: 'string', help: 'MEMs in which to allow execution (0-3, 0,1)' },
  { long: 'blkio-weight', kind: 'string', value: 'uint16', help: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { long: 'cpu-period', kind: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { long: 'cpu-quota', kind: 'string', value: 'int', help: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { long: 'oom-score-adj', kind: 'string', value: 'int', help: "Tune host's OOM preferences (-1000 to 1000)" },
  { long: 'volumes-from', kind: 'list', help: 'Mount volumes from the specified container(s)' },
  { long: 'annotation', kind: 'list', help: 'Add an annotation to the container (passed through to the OCI runtime)' },
  { long: 'cgroup-parent', kind: 'string', help: 'Optional parent cgroup for the container' },
  { long: 'ip', kind: 'string', help: 'IPv4 address (e.g., 172.30.100.104)' },
  { long: 'network-alias', kind: 'list', help: 'Add network-scoped alias for the container' },
  { long: 'mac-address', kind: 'string', help: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  { long: 'attach', short: 'a', kind: 'list', help: 'Attach to STDIN, STDOUT or STDERR' },
  { long: 'sig-proxy', kind: 'bool', help: 'Proxy received signals to the process (default true)' },
  { long: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
  ...MONITOR_FLAGS,
];

const SPECS: Record<string, CommandSpec> = {
  create: { name: 'create', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', summary: SUMMARIES.create, flags: CONTAINER_CONFIG_FLAGS, stopAtFirstPositional: true, minArgs: 1 },
  run: {
    name: 'run',
    usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
    summary: SUMMARIES.run,
    flags: [{ long: 'detach', short: 'd', kind: 'bool', help: 'Run container in background and print container ID' }, ...CONTAINER_CONFIG_FLAGS],
    stopAtFirstPositional: true,
    minArgs: 1,
  },
  start: {
    name: 'start',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: SUMMARIES.start,
    flags: [
      { long: 'attach', short: 'a', kind: 'bool', help: 'Attach STDOUT/STDERR and forward signals' },
      { long: 'interactive', short: 'i', kind: 'bool', help: "Attach container's STDIN" },
    ],
    minArgs: 1,
  },
  attach: {
    name: 'attach',
    usage: '[OPTIONS] CONTAINER',
    summary: SUMMARIES.attach,
    flags: [{ long: 'no-stdin', kind: 'bool', help: 'Do not attach STDIN' }],
    minArgs: 1,
    maxArgs: 1,
  },
  stop: {
    name: 'stop',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: SUMMARIES.stop,
    flags: [
      { long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' },
      { long: 'time', short: 't', kind: 'string', value: 'int', help: 'Seconds to wait before killing the container' },
      { long: 'timeout', kind: 'string', help: 'Alias of --time', hidden: true },
    ],
    minArgs: 1,
  },
  restart: {
    name: 'restart',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: SUMMARIES.restart,
    flags: [
      { long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' },
      { long: 'time', short: 't', kind: 'string', value: 'int', help: 'Seconds to wait before killing the container' },
      { long: 'timeout', kind: 'string', help: 'Alias of --time', hidden: true },
    ],
    minArgs: 1,
  },
  kill: {
    name: 'kill',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: SUMMARIES.kill,
    flags: [{ long: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container (default "KILL")' }],
    minArgs: 1,
  },
  pause: { name: 'pause', usage: 'CONTAINER [CONTAINER...]', summary: SUMMARIES.pause, flags: [], minArgs: 1 },
  unpause: { name: 'unpause', usage: 'CONTAINER [CONTAINER...]', summary: SUMMARIES.unpause, flags: [], minArgs: 1 },
  wait: { name: 'wait', usage: 'CONTAINER [CONTAINER...]', summary: SUMMARIES.wait, flags: [], minArgs: 1 },
  rm: {
    name: 'rm',
    usage: '[OPTIONS] CONTAINER [CONTAINER...]',
    summary: SUMMARIES.rm,
    flags: [
      { long: 'force', short: 'f', kind: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
      { long: 'volumes', short: 'v', kind: 'bool', help: 'Remove anonymous volumes associated with the container' },
    ],
    minArgs: 1,
  },
  rename: { name: 'rename', usage: 'CONTAINER NEW_NAME', summary: SUMMARIES.rename, flags: [], minArgs: 2, maxArgs: 2 },
  // docker's top passes what follows the container to ps (`top web -o pid,comm`)
  top: { name: 'top', usage: 'CONTAINER [ps OPTIONS]', summary: SUMMARIES.top, flags: [], minArgs: 1, stopAtFirstPositional: true },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  switch (verb) {
    case 'create':
      return createVerb(parsed, ctx);
    case 'run':
      return runVerb(parsed, ctx);
    case 'start':
      return startVerb(parsed, ctx);
    case 'attach':
      return attachVerb(parsed, ctx);
    case 'top':
      return topVerb(parsed, ctx);
    case 'rename': {
      const engine = await ctx.engine();
      await engine.renameContainer(parsed.args[0], parsed.args[1]);
      return 0;
    }
    default:
      return eachContainer(verb, parsed, ctx);
  }
};

export function buildCreateOptions(p: ParsedCommand): CreateOptions {
  const [image, ...cmd] = p.args;
  const env: string[] = [];
  for (const file of flagList(p, 'env-file')) env.push(...readEnvFile(file));
  for (const entry of flagList(p, 'env')) {
    const resolved = resolveEnvEntry(entry);
    if (resolved !== undefined) env.push(resolved);
  }
  const opts: CreateOptions = { image };
  if (cmd.length > 0) opts.cmd = cmd;
  const entrypoint = flagString(p, 'entrypoint');
  if (entrypoint !== undefined) opts.entrypoint = entrypoint === '' ? [] : [entrypoint];
  if (env.length > 0) opts.env = env;
  const set = <K extends keyof CreateOptions>(key: K, value: CreateOptions[K] | undefined) => {
    if (value !== undefined) opts[key] = value;
  };
  set('name', flagString(p, 'name'));
  set('workdir', flagString(p, 'workdir'));
  set('user', flagString(p, 'user'));
  set('hostname', flagString(p, 'hostname'));
  if (flagBool(p, 'tty')) opts.tty = true;
  if (flagBool(p, 'interactive')) opts.openStdin = true;
  if (flagBool(p, 'privileged')) opts.privileged = true;
  if (flagBool(p, 'read-only')) opts.readOnly = true;
  if (flagBool(p, 'init')) opts.init = true;
  if (flagBool(p, 'rm')) opts.autoRemove = true;

  const limits: NonNullable<CreateOptions['limits']> = {};
  const memory = flagString(p, 'memory');
  if (memory !== undefined) limits.memoryBytes = parseRamBytes(memory, '--memory');
  const cpus = flagString(p, 'cpus');
  if (cpus !== undefined) limits.nanoCpus = parseNanoCpus(cpus, '--cpus');
  const pids = flagString(p, 'pids-limit');
  if (pids !== undefined) limits.pidsLimit = parseInteger(pids, '--pids-limit', { min: -1 });
  const shares = flagString(p, 'cpu-shares');
  if (shares !== undefined) limits.cpuShares = parseInteger(shares, '--cpu-shares', { min: 0 });
  Object.assign(limits, readExtraLimits(p));
  if (Object.keys(limits).length > 0) opts.limits = limits;
  Object.assign(opts, readExtraHostOptions(p));

  if (flagList(p, 'cap-add').length) opts.capAdd = flagList(p, 'cap-add');
  if (flagList(p, 'cap-drop').length) opts.capDrop = flagList(p, 'cap-drop');
  if (flagList(p, 'security-opt').length) opts.securityOpt = readSecurityOpts(flagList(p, 'security-opt'));
  if (flagList(p, 'label').length) opts.labels = parseLabels(flagList(p, 'label'));
  set('stopSignal', flagString(p, 'stop-signal'));
  const stopTimeout = flagString(p, 'stop-timeout');
  if (stopTimeout !== undefined) opts.stopTimeout = parseInteger(stopTimeout, '--stop-timeout', { min: -1 });
  if (flagList(p, 'log-opt').length) opts.log = parseLogOpts(flagList(p, 'log-opt'));
  set('cgroupns', parseCgroupns(flagString(p, 'cgroupns')));
  set('userns', flagString(p, 'userns')); // the engine knows the modes and the config's default
  Object.assign(opts, readNetworkFlags([...flagList(p, 'network'), ...flagList(p, 'net')], opts));
  if (flagList(p, 'publish').length) opts.ports = flagList(p, 'publish').flatMap(parsePublish);
  if (flagBool(p, 'publish-all')) opts.publishAll = true;
  if (flagList(p, 'expose').length) opts.exposedPorts = flagList(p, 'expose').flatMap(parseExpose);
  if (flagList(p, 'add-host').length) opts.extraHosts = flagList(p, 'add-host');
  if (flagList(p, 'dns').length) opts.dns = flagList(p, 'dns');
  const mounts = [...flagList(p, 'volume').map(parseVolumeFlag), ...flagList(p, 'mount').map(parseMountFlag), ...flagList(p, 'tmpfs').map(parseTmpfsFlag)];
  if (mounts.length) opts.mounts = mounts;
  applyMonitorFlags(p, opts);
  return opts;
}

function requireTerminalForTty(p: ParsedCommand, ctx: CliContext): void {
  if (flagBool(p, 'tty') && flagBool(p, 'interactive') && !ctx.stdin.isTTY) {
    throw new CliError('the input device is not a TTY');
  }
}

// What create and run share: the platform checked, the image pulled as --pull says, the
// container created and its id written to --cidfile.
async function createWithFlags(p: ParsedCommand, opts: CreateOptions, ctx: CliContext, engine: EngineApi) {
  checkPlatform(flagString(p, 'platform'));
  refuseExistingCidfile(opts.containerIdFile);
  await ensureImage(engine, opts.image, parsePullPolicy(flagString(p, 'pull')), ctx, flagString(p, 'platform'));
  const record = await engine.createContainer(opts);
  if (opts.containerIdFile) writeCidfile(opts.containerIdFile, record.id);
  return record;
}

async function createVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const opts = buildCreateOptions(p);
  const engine = await ctx.engine();
  const record = await createWithFlags(p, opts, ctx, engine);
  ctx.stdout.write(`${record.id}\n`);
  return 0;
}

async function runVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const opts = buildCreateOptions(p);
  const detach = flagBool(p, 'detach');
  const attach = parseAttachStreams(flagList(p, 'attach'));
  if (detach && attach.length) throw new CliError('Conflicting options: -a and -d');
  if (!detach) requireTerminalForTty(p, ctx);
  const detachKeysRaw = flagString(p, 'detach-keys');
  const session = {
    tty: opts.tty === true,
    interactive: opts.openStdin === true && (attach.length === 0 || attach.includes('stdin')),
    detachKeys: detachKeysRaw === undefined ? undefined : parseDetachKeys(detachKeysRaw),
    sigProxy: p.flags['sig-proxy'] !== false,
    attach: attach.length ? attach : undefined,
  };
  const engine = await ctx.engine();
  const record = await createWithFlags(p, opts, ctx, engine);
  if (detach) {
    await engine.startContainer(record.id);
    ctx.stdout.write(`${record.id}\n`);
    return 0;
  }
  let end: SessionEnd | undefined;
  try {
    end = await attachedSession(ctx, engine, record.id, session, 'start');
    return end.kind === 'exited' ? end.code : 0;
  } finally {
    // A detached container goes on running; the engine removes it when it exits (autoRemove).
    if (opts.autoRemove && end?.kind !== 'detached') await engine.removeContainer(record.id, true, true).catch(() => undefined);
  }
}

// Wires our terminal to the container, starts it (or attaches to it) and waits for its exit code.
export async function attachedSession(ctx: CliContext, engine: EngineApi, ref: string, opts: SessionOptions, how: 'start' | 'attach'): Promise<SessionEnd> {
  const session = new AttachSession(opts, ctx);
  const streams = session.streams();
  session.enter();
  try {
    const handle = how === 'start' ? await engine.startContainer(ref, streams) : await engine.attachContainer(ref, streams);
    if (!handle) throw new CliError(`no attach handle for container ${ref}`);
    session.wire(handle, engine, ref);
    return await session.wait(handle);
  } finally {
    session.restore();
  }
}

async function startVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const attach = flagBool(p, 'attach') || flagBool(p, 'interactive');
  const engine = await ctx.engine();
  if (attach) {
    if (p.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once');
    const record = await engine.inspectContainer(p.args[0]);
    const interactive = flagBool(p, 'interactive') && record.config.openStdin;
    if (record.config.tty && interactive && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY');
    return exitCodeOf(await attachedSession(ctx, engine, record.id, { tty: record.config.tty, interactive }, 'start'));
  }
  return eachContainer('start', p, ctx);
}

async function attachVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const engine = await ctx.engine();
  const record = await engine.inspectContainer(p.args[0]);
  if (!record.state.running) throw new CliError('You cannot attach to a stopped container, start it first');
  if (record.state.paused) throw new CliError('You cannot attach to a paused container, unpause it first');
  const interactive = record.config.openStdin && !flagBool(p, 'no-stdin');
  if (record.config.tty && interactive && !ctx.stdin.isTTY) throw new CliError('the input device is not a TTY');
  return exitCodeOf(await attachedSession(ctx, engine, record.id, { tty: record.config.tty, interactive }, 'attach'));
}

function exitCodeOf(end: SessionEnd): number {
  return end.kind === 'exited' ? end.code : 0;
}

// Verbs that act on each named container in turn, printing its name on success, and going on
// after a failure the way docker does.
async function eachContainer(verb: string, p: ParsedCommand, ctx: CliContext): Promise<number> {
  const timeoutRaw = flagString(p, 'time') ?? flagString(p, 'timeout');
  const timeout = timeoutRaw === undefined ? undefined : parseInteger(timeoutRaw, '--time', { min: -1 });
  const signal = flagString(p, 'signal');
  const engine = await ctx.engine();
  const actions: Record<string, (ref: string) => Promise<void>> = {
    start: (ref) => engine.startContainer(ref).then(() => undefined),
    stop: (ref) => engine.stopContainer(ref, timeout, signal),
    restart: (ref) => engine.restartContainer(ref, timeout, signal),
    kill: (ref) => engine.killContainer(ref, signal ?? 'KILL'),
    pause: (ref) => engine.pauseContainer(ref),
    unpause: (ref) => engine.unpauseContainer(ref),
    rm: (ref) => engine.removeContainer(ref, flagBool(p, 'force'), flagBool(p, 'volumes')),
  };
  const action = actions[verb];
  let failure = 0;
  const run = async (ref: string) => {
    try {
      await action(ref);
      ctx.stdout.write(`${ref}\n`);
    } catch (err) {
      const e = err as { message?: string; code?: string };
      ctx.stderr.write(`strata: ${e.message ?? String(err)}\n`);
      // docker's rm -f reports a container that is not there and goes on: exit 0
      if (!(verb === 'rm' && flagBool(p, 'force') && e.code === 'not-found')) failure = EXIT_VERB_FAILED;
    }
  };
  // wait blocks per container and docker waits for them together; the rest go in order.
  if (verb === 'wait') {
    const codes = await Promise.all(
      p.args.map((ref) =>
        engine.waitContainer(ref).then(
          (code) => ({ ok: true as const, text: String(code) }),
          (err: Error) => ({ ok: false as const, text: err.message }),
        ),
      ),
    );
    for (const result of codes) {
      if (result.ok) ctx.stdout.write(`${result.text}\n`);
      else {
        ctx.stderr.write(`strata: ${result.text}\n`);
        failure = EXIT_VERB_FAILED;
      }
    }
    return failure;
  }
  for (const ref of p.args) await run(ref);
  return failure;
}

async function topVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const engine = await ctx.engine();
  const [ref, ...psArgs] = p.args;
  if (psArgs.length > 0) {
    const { titles, processes } = await engine.topWithPs(ref, psArgs);
    ctx.stdout.write(renderTable(titles, processes, { minWidth: 20 }));
    return 0;
  }
  const rows = await engine.top(ref);
  const header = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
  ctx.stdout.write(renderTable(header, rows.map((r) => [r.uid, String(r.pid), String(r.ppid), String(r.c), r.stime, r.tty, r.time, r.cmd]), { minWidth: 20 }));
  return 0;
}
