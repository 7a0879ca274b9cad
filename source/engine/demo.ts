// The demo: a busybox image made from the host's static busybox (no registry needed) and two
// small containers that give the TUI, `ps`, `logs` and `stats` something to show on first use.
// Engine-level: it never prints; failures are EngineErrors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { tarStream } from './layers/tar-stream.js';
import type { CreateOptions, EngineApi, ImageRecord } from './api.js';
import { EngineError } from './errors.js';

export const DEMO_IMAGE = 'strata/busybox:latest';
export const DEMO_LABEL = 'strata.demo';

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const DEMO_CONTAINERS: CreateOptions[] = [
  {
    image: DEMO_IMAGE,
    name: 'clock',
    cmd: ['sh', '-c', 'while true; do date; sleep 1; done'],
    labels: { [DEMO_LABEL]: 'clock' },
    limits: { memoryBytes: 16 * 1024 * 1024 },
  },
  {
    image: DEMO_IMAGE,
    name: 'counter',
    // A little CPU work, held to a quarter of a core so `stats` shows a limit doing its job.
    cmd: ['sh', '-c', 'n=0; while true; do n=$((n+1)); if [ $((n % 20000)) -eq 0 ]; then echo "counted to $n"; fi; done'],
    labels: { [DEMO_LABEL]: 'counter' },
    limits: { nanoCpus: 250_000_000, memoryBytes: 32 * 1024 * 1024 },
  },
];

function isStaticExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    // A dynamically linked busybox would need the host's libc inside the image.
    const probe = spawnSync('file', ['-L', file], { encoding: 'utf8' });
    return probe.status !== 0 || !/dynamically linked/.test(probe.stdout);
  } catch {
    return false;
  }
}

// Finds a static busybox on the host; with install, tries Debian's busybox-static when missing.
export function locateBusybox({ install = false }: { install?: boolean } = {}): string {
  const found = BUSYBOX_CANDIDATES.find(isStaticExecutable);
  if (found) return found;
  if (install && process.getuid?.() === 0) {
    const apt = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'busybox-static'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
    const installed = BUSYBOX_CANDIDATES.find(isStaticExecutable);
    if (installed) return installed;
    if (apt.error || apt.status !== 0) {
      throw new EngineError('the demo needs a static busybox: /bin/busybox is missing and `apt-get install -y busybox-static` failed; install busybox-static and try again');
    }
  }
  throw new EngineError('the demo needs a static busybox: /bin/busybox is missing; install it with `apt-get install busybox-static`', 'not-found');
}

// Applet paths relative to the root ("bin/sh", "usr/bin/awk"), as busybox itself places them.
function appletPaths(busybox: string): string[] {
  const full = spawnSync(busybox, ['--list-full'], { encoding: 'utf8' });
  if (full.status === 0 && full.stdout.trim()) return full.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const short = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (short.status !== 0) throw new EngineError(`${busybox} --list failed: ${short.stderr || short.error?.message || 'no output'}`);
  return short.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((name) => `bin/${name}`);
}

const PASSWD = ['root:x:0:0:root:/root:/bin/sh', 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false', 'user:x:1000:1000:user:/home/user:/bin/sh', ''].join('\n');
const GROUP = ['root:x:0:', 'nogroup:x:65534:', 'users:x:100:user', 'user:x:1000:', ''].join('\n');
const HOSTS = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ''].join('\n');
const OS_RELEASE = ['NAME="strata busybox"', 'ID=busybox', 'PRETTY_NAME="strata demo (busybox)"', ''].join('\n');

interface DirEntry {
  name: string;
  mode: number;
  uid?: number;
  gid?: number;
}

const DIRECTORIES: DirEntry[] = [
  { name: 'bin', mode: 0o755 },
  { name: 'dev', mode: 0o755 },
  { name: 'etc', mode: 0o755 },
  { name: 'home', mode: 0o755 },
  { name: 'home/user', mode: 0o755, uid: 1000, gid: 1000 },
  { name: 'proc', mode: 0o555 },
  { name: 'root', mode: 0o700 },
  { name: 'run', mode: 0o755 },
  { name: 'sbin', mode: 0o755 },
  { name: 'sys', mode: 0o555 },
  { name: 'tmp', mode: 0o1777 },
  { name: 'usr', mode: 0o755 },
  { name: 'usr/bin', mode: 0o755 },
  { name: 'usr/sbin', mode: 0o755 },
  { name: 'var', mode: 0o755 },
  { name: 'var/log', mode: 0o755 },
  { name: 'var/tmp', mode: 0o1777 },
];

// A minimal root filesystem as an uncompressed tar: busybox, its applet links, users and groups.
export function busyboxRootfsTar(busybox: string = locateBusybox()): Readable {
  const binary = fs.readFileSync(busybox);
  const mtime = fs.statSync(busybox).mtime;
  const applets = appletPaths(busybox).filter((p) => p !== 'bin/busybox');
  const pack = tarStream().pack();
  const known = new Set(DIRECTORIES.map((d) => d.name));

  for (const dir of DIRECTORIES) pack.entry({ name: `${dir.name}/`, type: 'directory', mode: dir.mode, uid: dir.uid ?? 0, gid: dir.gid ?? 0, mtime });
  // Applets may live in folders not listed above (usr/local/bin…): make their parents first.
  for (const applet of applets) {
    const parts = applet.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (known.has(dir)) continue;
      known.add(dir);
      pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime });
    }
  }
  pack.entry({ name: 'bin/busybox', mode: 0o755, mtime }, binary);
  for (const applet of applets) pack.entry({ name: applet, type: 'symlink', linkname: '/bin/busybox', mode: 0o777, mtime });

  const file = (name: string, text: string, mode = 0o644) => pack.entry({ name, mode, mtime }, Buffer.from(text));
  file('etc/passwd', PASSWD);
  file('etc/group', GROUP);
  file('etc/shadow', 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\nuser:*:19000:0:99999:7:::\n', 0o640);
  file('etc/hostname', 'strata\n');
  file('etc/hosts', HOSTS);
  file('etc/os-release', OS_RELEASE);
  file('etc/profile', `export PATH=${DEFAULT_PATH}\nexport PS1='\\h:\\w\\$ '\n`);
  pack.finalize();
  return Readable.from(pack as unknown as AsyncIterable<Buffer>, { objectMode: false });
}

export interface DemoOptions {
  onlyIfNoImages?: boolean; // the first-run path: leave a store that has images alone
  containers?: boolean; // start the demo containers too (default true)
  busybox?: string;
}

export interface DemoResult {
  imported?: ImageRecord;
  started: string[]; // names of the demo containers created and started now
}

export async function ensureDemo(engine: EngineApi, opts: DemoOptions = {}): Promise<DemoResult> {
  const images = await engine.listImages();
  if (opts.onlyIfNoImages && images.length > 0) return { started: [] };
  const result: DemoResult = { started: [] };

  if (!images.some((img) => img.repoTags.includes(DEMO_IMAGE))) {
    const busybox = opts.busybox ?? locateBusybox({ install: true });
    result.imported = await engine.importImage(busyboxRootfsTar(busybox), DEMO_IMAGE, {
      changes: ['CMD ["sh"]', `ENV PATH=${DEFAULT_PATH}`],
      message: 'strata demo image from the host busybox',
    });
  }

  if (opts.containers !== false) {
    const existing = new Set((await engine.listContainers(true)).map((c) => c.name));
    for (const demo of DEMO_CONTAINERS) {
      if (existing.has(demo.name!)) continue;
      const record = await engine.createContainer(demo);
      await engine.startContainer(record.id);
      result.started.push(demo.name!);
    }
  }
  return result;
}
