// Values of docker's run/create flags beyond the basics (--ulimit, --device, --sysctl, the
// namespace modes, --pull, --platform, -a, --detach-keys), read and refused as docker does.
import os from 'node:os';
import type { DeviceMapping, NamespaceMode, Ulimit } from '../engine/api.js';
import { invalidValue } from './args.js';
import { CliError } from './errors.js';
import { sysctlNamespace } from '../engine/format/sysctls.js';

const ULIMIT_NAMES = ['as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];

function ulimitNumber(raw: string, entry: string): number {
  if (raw === 'unlimited' || raw === '-1') return -1;
  if (!/^\d+$/.test(raw)) throw invalidValue('--ulimit', entry, `invalid ulimit argument: ${entry}`);
  return Number(raw);
}

// go-units' ParseUlimit: name=soft[:hard], hard defaults to soft
export function parseUlimit(entry: string): Ulimit {
  const eq = entry.indexOf('=');
  if (eq === -1) throw invalidValue('--ulimit', entry, `invalid ulimit argument: ${entry}`);
  const name = entry.slice(0, eq);
  if (!ULIMIT_NAMES.includes(name)) throw invalidValue('--ulimit', entry, `invalid ulimit type: ${name}`);
  const [softRaw, hardRaw, ...rest] = entry.slice(eq + 1).split(':');
  if (rest.length) throw invalidValue('--ulimit', entry, `too many limit value arguments - ${entry.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  const soft = ulimitNumber(softRaw, entry);
  const hard = hardRaw === undefined ? soft : ulimitNumber(hardRaw, entry);
  if (hard !== -1 && (soft === -1 || soft > hard)) throw invalidValue('--ulimit', entry, `ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { name, soft, hard };
}

export function parseUlimits(entries: string[]): Ulimit[] {
  const byName = new Map<string, Ulimit>(); // the last one of a name wins, as docker's map
  for (const e of entries) {
    const u = parseUlimit(e);
    byName.set(u.name, u);
  }
  return [...byName.values()];
}

// docker's parseDevice: /dev/x[:/dev/y][:rwm]
export function parseDevice(entry: string): DeviceMapping {
  const parts = entry.split(':');
  const isMode = (s: string) => /^[rwm]{1,3}$/.test(s) && new Set(s).size === s.length;
  let permissions = 'rwm';
  if (parts.length > 1 && isMode(parts[parts.length - 1])) permissions = parts.pop()!;
  if (parts.length > 2 || parts[0] === '') throw invalidValue('--device', entry, `invalid device specification: ${entry}`);
  const [onHost, inContainer = onHost] = parts;
  if (!inContainer.startsWith('/')) throw invalidValue('--device', entry, `bad format for path: ${inContainer}`);
  return { pathOnHost: onHost, pathInContainer: inContainer, cgroupPermissions: permissions };
}

// docker's ValidateSysctl: only the ones in a namespace of the container's own
export function parseSysctls(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    if (eq <= 0 || !sysctlNamespace(key)) throw invalidValue('--sysctl', entry, `sysctl '${entry}' is not allowed`);
    out[key] = entry.slice(eq + 1);
  }
  return out;
}

// --ipc/--pid/--uts: host, container:NAME, or (ipc) private/shareable/none
export function parseNamespaceMode(raw: string | undefined, flag: '--ipc' | '--pid' | '--uts'): NamespaceMode | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'host') return raw;
  if (raw.startsWith('container:') && raw.length > 'container:'.length) return raw;
  if (flag === '--ipc' && (raw === 'private' || raw === 'shareable')) return raw;
  const what = flag.slice(2).toUpperCase();
  throw new CliError(`--${flag.slice(2)}: invalid ${what} mode`);
}

export function parseKeyValues(entries: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw invalidValue(flag, entry, `invalid key=value: ${entry}`);
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export type PullPolicy = 'always' | 'missing' | 'never';

// Without --pull strata keeps to the images it has (no implicit pull from a registry): 'never'.
export function parsePullPolicy(raw: string | undefined): PullPolicy {
  if (raw === undefined || raw === '' || raw === 'missing') return 'missing'; // docker's default
  if (raw === 'always' || raw === 'never') return raw;
  throw new CliError(`invalid pull option: '${raw}': must be one of "always", "missing" or "never"`);
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

// Only the host's own platform can run here: no emulation.
export function checkPlatform(raw: string | undefined, arch = os.arch()): void {
  if (raw === undefined || raw === '') return;
  const host = `linux/${GO_ARCH[arch] ?? arch}`;
  const [osName, architecture, variant] = raw.toLowerCase().split('/');
  const wanted = `${osName}/${architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture}`;
  if (wanted === host && (variant === undefined || variant === '' || architecture !== 'amd64')) return;
  throw new CliError(`image with platform "${raw}" cannot run on this host (${host}): strata runs the host's platform only`);
}

export type AttachStream = 'stdin' | 'stdout' | 'stderr';

export function parseAttachStreams(entries: string[]): AttachStream[] {
  return entries.map((raw) => {
    const s = raw.toLowerCase();
    if (s !== 'stdin' && s !== 'stdout' && s !== 'stderr') throw new CliError(`invalid argument "${raw}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
    return s;
  });
}

// docker's detach keys: comma-separated ctrl-<letter|@|[|\|]|^|_> or single characters
export function parseDetachKeys(raw: string): number[] {
  return raw.split(',').map((key) => {
    const ctrl = /^ctrl-(.)$/i.exec(key);
    if (ctrl) {
      const c = ctrl[1];
      if (/[a-z]/i.test(c)) return c.toLowerCase().charCodeAt(0) - 96;
      const specials: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
      if (c in specials) return specials[c];
    } else if (key.length === 1) return key.charCodeAt(0);
    throw new CliError(`Invalid detach keys (${raw}) provided`);
  });
}
