// Real containers for the native tests: a busybox rootfs under an overlay in
// /tmp/strata-native-test-*, the shim started like the engine starts it, and a cleanup
// that only touches what the fixture made (its mounts, its cgroups, its pids).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isMountPoint, mountOverlay, shimPath, umount } from '../../source/native.js';
import {
  FrameDecoder,
  parsePidFile,
  parseStatusLine,
  writeSpec,
  type Frame,
  type ShimStatusLine,
  type SpecEntries,
} from '../../source/engine/runtime/monitor-protocol.js';

export const DOCKER_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];
export const MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];
export const NAMESPACES = ['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'];

let lowerCache: string | undefined;

// One busybox image per test process, shared read-only as the overlay's lowerdir.
function busyboxLower(base: string): string {
  if (lowerCache && fs.existsSync(lowerCache)) return lowerCache;
  const lower = path.join(base, 'lower');
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'dev', 'sys', 'mnt', 'root', 'home/user']) fs.mkdirSync(path.join(lower, d), { recursive: true });
  fs.chmodSync(path.join(lower, 'tmp'), 0o1777);
  fs.copyFileSync('/bin/busybox', path.join(lower, 'bin/busybox'));
  fs.chmodSync(path.join(lower, 'bin/busybox'), 0o755);
  const r = spawnSync('chroot', [lower, '/bin/busybox', '--install', '-s', '/bin']);
  if (r.status !== 0) throw new Error(`busybox --install: ${r.stderr}`);
  fs.writeFileSync(path.join(lower, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n');
  fs.writeFileSync(path.join(lower, 'etc/group'), 'root:x:0:\ntty:x:5:\nuser:x:1000:\n');
  fs.writeFileSync(path.join(lower, 'etc/not-executable'), 'just text\n');
  lowerCache = lower;
  return lower;
}

export interface Fixture {
  dir: string;
  rootfs: string;
  upper: string;
  log: string;
  exitFile: string;
  pidFile: string;
  socket: string;
  cgroups: string[]; // directories this fixture created
  pids: number[]; // processes to make sure are gone
}

const fixtures = new Set<Fixture>();
let baseDir: string | undefined;

export function makeFixture(): Fixture {
  baseDir ??= fs.mkdtempSync('/tmp/strata-native-test-');
  const dir = fs.mkdtempSync(path.join(baseDir, 'c-'));
  const lower = busyboxLower(baseDir);
  for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d));
  mountOverlay([lower], path.join(dir, 'upper'), path.join(dir, 'work'), path.join(dir, 'merged'));
  const fx: Fixture = {
    dir,
    rootfs: path.join(dir, 'merged'),
    upper: path.join(dir, 'upper'),
    log: path.join(dir, 'container.log'),
    exitFile: path.join(dir, 'exit.json'),
    pidFile: path.join(dir, 'pid'),
    socket: path.join(dir, 'attach.sock'),
    cgroups: [],
    pids: [],
  };
  fixtures.add(fx);
  return fx;
}

export function spec(fx: Fixture, args: string[], extra: SpecEntries = [], opts: { omit?: string[] } = {}): SpecEntries {
  const entries: SpecEntries = [
    ['id', 'a'.repeat(64)],
    ['rootfs', fx.rootfs],
    ...args.map((a): [string, string] => ['arg', a]),
    ['env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['env', 'HOSTNAME=box'],
    ['cwd', '/'],
    ['user', '0:0'],
    ['groups', ''],
    ['hostname', 'box'],
    ...NAMESPACES.map((n): [string, string] => ['ns', n]),
    ...DOCKER_CAPS.map((c): [string, string] => ['cap', c]),
    ...MASKED_PATHS.map((p): [string, string] => ['mask', p]),
    ...READONLY_PATHS.map((p): [string, string] => ['ropath', p]),
    ['no_new_privs', '1'],
    ['readonly_rootfs', '0'],
    ['tty', '0'],
    ['open_stdin', '0'],
    ['wait_attach', '0'],
    ['umount', fx.rootfs],
    ['log', fx.log],
    ['log_max_size', '0'],
    ['log_max_files', '1'],
    ['exit_file', fx.exitFile],
    ['pid_file', fx.pidFile],
    ['attach_socket', fx.socket],
  ];
  const overridden = new Set([...extra.map(([k]) => k), ...(opts.omit ?? [])]);
  const repeatable = new Set(['arg', 'env', 'ns', 'cap', 'mask', 'ropath', 'cgroup_join', 'cgroup_dir', 'oom_counter', 'umount', 'bind', 'tmpfs']);
  return [...entries.filter(([k]) => !(overridden.has(k) && (!repeatable.has(k) || opts.omit?.includes(k)))), ...extra];
}

export interface ShimRun {
  statuses: ShimStatusLine[];
  /** Resolves with the first status line matching kind (waiting for it if need be). */
  waitFor(kind: ShimStatusLine['kind']): Promise<ShimStatusLine>;
  /** Resolves when the status pipe closes (the shim has finished). */
  closed: Promise<ShimStatusLine[]>;
  /** Closes our end of the status pipe, as an engine that is killed does. */
  abandon(): void;
}

export function startShim(fx: Fixture, entries: SpecEntries): ShimRun {
  const specPath = path.join(fx.dir, `spec-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(specPath, writeSpec(entries));
  const child = spawn(shimPath, ['run', specPath], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const status = child.stdio[3] as Readable;
  const statuses: ShimStatusLine[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (d) => (stderr += d));
  status.setEncoding('utf8');
  status.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const parsed = parseStatusLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (!parsed) throw new Error(`unparsable status line ${JSON.stringify(buffered.slice(0, nl))}`);
      statuses.push(parsed);
      if (parsed.kind === 'started') fx.pids.push(parsed.pid);
      waiters.splice(0).forEach((w) => w());
    }
  });
  const closed = new Promise<ShimStatusLine[]>((resolve) => status.on('close', () => {
    waiters.splice(0).forEach((w) => w());
    resolve(statuses);
  }));
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  return {
    statuses,
    closed,
    abandon() { status.destroy(); },
    waitFor(kind) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const s = statuses.find((x) => x.kind === kind);
          if (s) return resolve(s);
          if (isClosed) return reject(new Error(`shim finished without "${kind}": ${JSON.stringify(statuses)} ${stderr}`));
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Runs a container to completion; returns its status lines and log records. */
export async function runToExit(fx: Fixture, entries: SpecEntries) {
  const run = startShim(fx, entries);
  const statuses = await run.closed;
  return { statuses, log: readLog(fx.log) };
}

export interface LogRecord {
  log: string;
  stream: 'stdout' | 'stderr';
  time: string;
}

export function readLog(file: string): LogRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogRecord);
}

export function stdoutOf(log: LogRecord[]): string {
  return log.filter((r) => r.stream === 'stdout').map((r) => r.log).join('');
}

// ---- attach clients ----------------------------------------------------------------------

export interface AttachClient {
  socket: net.Socket;
  frames: Frame[];
  output(): string;
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<string>;
}

export function attach(socketPath: string): Promise<AttachClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const decoder = new FrameDecoder();
    const frames: Frame[] = [];
    const listeners: Array<() => void> = [];
    let exitResolve!: (code: string) => void;
    const exited = new Promise<string>((r) => (exitResolve = r));
    const output = () => frames.filter((f) => f.type === 1 || f.type === 2).map((f) => f.payload.toString()).join('');
    socket.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) {
        frames.push(f);
        if (f.type === 5) exitResolve(f.payload.toString());
      }
      listeners.splice(0).forEach((l) => l());
    });
    socket.on('error', reject);
    socket.on('connect', () =>
      resolve({
        socket,
        frames,
        output,
        exited,
        waitForOutput(text, timeoutMs = 5000) {
          return new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`timed out waiting for ${text}; got ${JSON.stringify(output())}`)), timeoutMs);
            const check = () => {
              const out = output();
              if (typeof text === 'string' ? out.includes(text) : text.test(out)) {
                clearTimeout(timer);
                res();
              } else listeners.push(check);
            };
            check();
          });
        },
      }),
    );
  });
}

// ---- cgroups -----------------------------------------------------------------------------

function ownCgroup(controller: string): string {
  for (const line of fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, ctrls, p] = line.split(':');
    if (ctrls?.split(',').includes(controller)) return p;
  }
  throw new Error(`not in a ${controller} cgroup`);
}

/** A fresh v1 group for one container under <controller>/<own group>/strata-test/. */
export function makeCgroup(fx: Fixture, controller: 'memory' | 'pids' | 'freezer'): string {
  const base = path.join('/sys/fs/cgroup', controller, controller === 'memory' ? ownCgroup('memory') : '/', 'strata-test');
  fs.mkdirSync(base, { recursive: true });
  const dir = path.join(base, path.basename(fx.dir));
  fs.mkdirSync(dir);
  fx.cgroups.push(dir);
  return dir;
}

// ---- cleanup -----------------------------------------------------------------------------

// A zombie is as good as gone: the shim is reparented to init, which reaps when it likes.
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

// Only our own processes: a shim from this fixture's pid file, or a process in another pid namespace.
function isOurs(pid: number): boolean {
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'strata-shim' && fs.readlinkSync(`/proc/${pid}/exe`) === shimPath) return true;
    return fs.readlinkSync(`/proc/${pid}/ns/pid`) !== fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return false;
  }
}

function killIfOurs(pid: number) {
  if (!alive(pid) || !isOurs(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
}

export async function cleanupFixture(fx: Fixture): Promise<void> {
  const inits = [...fx.pids];
  let shim = 0;
  if (fs.existsSync(fx.pidFile)) {
    const p = parsePidFile(fs.readFileSync(fx.pidFile, 'utf8'));
    inits.push(p.initPid);
    shim = p.shimPid;
  }
  // kill the container and let its shim wind down the normal way (reap, umount, rmdir)
  inits.forEach(killIfOurs);
  for (let i = 0; i < 150 && [...inits, shim].some((p) => p && alive(p)); i++) await sleep(20);
  if (shim) killIfOurs(shim);
  for (let i = 0; i < 50 && shim && alive(shim); i++) await sleep(20);
  for (let i = 0; i < 50 && fs.existsSync(fx.rootfs) && isMountPoint(fx.rootfs); i++) {
    try {
      umount(fx.rootfs, true);
    } catch {
      await sleep(20);
    }
  }
  for (const dir of fx.cgroups) {
    for (let i = 0; i < 50 && fs.existsSync(dir); i++) {
      try {
        fs.rmdirSync(dir);
      } catch {
        await sleep(20);
      }
    }
    try {
      fs.rmdirSync(path.dirname(dir)); // strata-test, when no other test uses it
    } catch {
      /* busy or already gone */
    }
  }
  fs.rmSync(fx.dir, { recursive: true, force: true });
  fixtures.delete(fx);
}

export async function cleanupAll(): Promise<void> {
  for (const fx of [...fixtures]) await cleanupFixture(fx);
  if (baseDir) {
    const lower = path.join(baseDir, 'lower');
    fs.rmSync(baseDir, { recursive: true, force: true });
    if (lowerCache === lower) lowerCache = undefined;
    baseDir = undefined;
  }
}
