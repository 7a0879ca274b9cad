// A service's short syntaxes turned into the long ones before files are merged, so merging and
// the reconcile see one shape: environment/labels/build args as maps, depends_on and networks as
// maps, volumes and ports as long-syntax entries, env_file as {path, required} entries.
import path from 'node:path';
import { ComposeError } from './errors.js';

type Raw = Record<string, unknown>;
type Fail = (key: ReadonlyArray<string | number>, message: string) => never;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `["A=1", "B"]` or `{A: 1}` → `{A: "1", B: null}` (null: taken from the environment). */
export function keyValueMap(value: unknown, at: ReadonlyArray<string | number>, fail: Fail, separator = '='): Record<string, string | null> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    const out: Record<string, string | null> = {};
    value.forEach((entry, i) => {
      if (typeof entry !== 'string') fail([...at, i], `must be a string, not ${JSON.stringify(entry)}`);
      const cut = entry.indexOf(separator);
      if (cut < 0) out[entry] = null;
      else out[entry.slice(0, cut)] = entry.slice(cut + 1);
    });
    return out;
  }
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]));
  return fail(at, 'must be a mapping or a list of KEY=VALUE strings');
}

export interface LongPort {
  target: number;
  published?: string; // "8080" or a range "8080-8081"; absent: an ephemeral port
  host_ip?: string;
  protocol: 'tcp' | 'udp';
}

/** "8080:80", "127.0.0.1:8080:80/udp", "80", "8000-8001:80-81", 80 → long entries. */
export function parsePorts(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): LongPort[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(at, 'must be a list');
  const out: LongPort[] = [];
  value.forEach((entry, i) => {
    const here = [...at, i];
    if (isObject(entry)) {
      const target = Number(entry.target);
      if (!Number.isInteger(target) || target < 1 || target > 65535) fail(here, `invalid port target ${JSON.stringify(entry.target)}`);
      const protocol = (entry.protocol ?? 'tcp') as string;
      if (protocol !== 'tcp' && protocol !== 'udp') fail(here, `invalid protocol "${protocol}"`);
      out.push({ target, protocol, ...(entry.published !== undefined ? { published: String(entry.published) } : {}), ...(entry.host_ip ? { host_ip: String(entry.host_ip) } : {}) });
      return;
    }
    const text = String(entry);
    const m = /^(?:(?:\[([0-9a-fA-F:]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(?:(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(text);
    if (!m) fail(here, `invalid port "${text}"`);
    const [, ip6, ip4, published, container, protocol = 'tcp'] = m!;
    const [from, to = from] = container.split('-').map(Number);
    if (from < 1 || to > 65535 || to < from) fail(here, `invalid port "${text}"`);
    let hostFrom: number | undefined;
    if (published) {
      const [a, b = a] = published.split('-').map(Number);
      if (a < 1 || b > 65535 || b - a !== to - from) fail(here, `invalid port "${text}": host and container ranges differ in size`);
      hostFrom = a;
    }
    for (let p = from; p <= to; p++) {
      out.push({ target: p, protocol: protocol as 'tcp' | 'udp', ...(hostFrom !== undefined ? { published: String(hostFrom + (p - from)) } : {}), ...((ip6 ?? ip4) ? { host_ip: ip6 ?? ip4 } : {}) });
    }
  });
  return out;
}

export interface LongVolume {
  type: 'volume' | 'bind' | 'tmpfs';
  source?: string;
  target: string;
  read_only?: boolean;
  tmpfs?: { size?: number | string; mode?: number };
  bind?: { create_host_path?: boolean };
}

/** "data:/var/lib/x:ro", "./src:/app", "/abs:/x", "/only-target" → long entries (binds made absolute). */
export function parseVolumes(value: unknown, at: ReadonlyArray<string | number>, fail: Fail, projectDir: string): LongVolume[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(at, 'must be a list');
  return value.map((entry, i): LongVolume => {
    const here = [...at, i];
    if (isObject(entry)) {
      const type = (entry.type ?? 'volume') as LongVolume['type'];
      if (!entry.target || typeof entry.target !== 'string') fail(here, 'a volume needs a target');
      const out: LongVolume = { type, target: entry.target as string };
      if (entry.source !== undefined) out.source = type === 'bind' ? resolveBindSource(String(entry.source), projectDir) : String(entry.source);
      if (entry.read_only) out.read_only = true;
      if (isObject(entry.tmpfs)) out.tmpfs = entry.tmpfs as LongVolume['tmpfs'];
      if (isObject(entry.bind)) out.bind = { create_host_path: (entry.bind as Raw).create_host_path !== false };
      return out;
    }
    if (typeof entry !== 'string') return fail(here, `invalid volume ${JSON.stringify(entry)}`);
    const parts = entry.split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0] };
    if (parts.length > 3) return fail(here, `invalid volume specification "${entry}"`);
    const [source, target, mode = ''] = parts;
    const modes = mode.split(',').filter(Boolean);
    for (const m of modes) if (!['ro', 'rw', 'z', 'Z', 'nocopy', 'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'].includes(m)) fail(here, `invalid volume mode "${m}" in "${entry}"`);
    if (!target.startsWith('/')) fail(here, `invalid volume specification "${entry}": the target must be an absolute path`);
    const isPath = source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
    return {
      type: isPath ? 'bind' : 'volume',
      source: isPath ? resolveBindSource(source, projectDir) : source,
      target,
      ...(modes.includes('ro') ? { read_only: true } : {}),
      ...(isPath ? { bind: { create_host_path: true } } : {}),
    };
  });
}

function resolveBindSource(source: string, projectDir: string): string {
  if (source.startsWith('~')) return path.join(process.env.HOME ?? '/root', source.slice(1));
  return path.resolve(projectDir, source);
}

/** depends_on as a map of service → {condition, required, restart}. */
export function dependsOnMap(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): Record<string, { condition: string; required: boolean; restart: boolean }> {
  if (value === undefined) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((s) => [String(s), { condition: 'service_started', required: true, restart: false }]));
  if (!isObject(value)) return fail(at, 'must be a list or a mapping');
  return Object.fromEntries(Object.entries(value).map(([name, v]) => {
    const entry = isObject(v) ? v : {};
    return [name, { condition: String(entry.condition ?? 'service_started'), required: entry.required !== false, restart: entry.restart === true }];
  }));
}

/** A service's networks as a map of name → {aliases, ipv4_address}. */
export function networksMap(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): Record<string, { aliases?: string[]; ipv4_address?: string } | null> {
  if (value === undefined) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((n) => [String(n), null]));
  if (!isObject(value)) return fail(at, 'must be a list or a mapping');
  return value as Record<string, { aliases?: string[]; ipv4_address?: string } | null>;
}

export function canonicalService(service: Raw, at: ReadonlyArray<string | number>, fail: Fail, projectDir: string): Raw {
  const out: Raw = { ...service };
  const set = (key: string, value: unknown) => {
    if (service[key] !== undefined) out[key] = value;
  };
  set('environment', keyValueMap(service.environment, [...at, 'environment'], fail));
  set('labels', keyValueMap(service.labels, [...at, 'labels'], fail));
  set('annotations', keyValueMap(service.annotations, [...at, 'annotations'], fail));
  set('sysctls', keyValueMap(service.sysctls, [...at, 'sysctls'], fail));
  set('depends_on', dependsOnMap(service.depends_on, [...at, 'depends_on'], fail));
  set('networks', networksMap(service.networks, [...at, 'networks'], fail));
  set('ports', parsePorts(service.ports, [...at, 'ports'], fail));
  set('volumes', parseVolumes(service.volumes, [...at, 'volumes'], fail, projectDir));
  if (typeof service.build === 'string') out.build = { context: service.build };
  if (isObject(out.build)) {
    const build = { ...(out.build as Raw) };
    if (build.args !== undefined) build.args = keyValueMap(build.args, [...at, 'build', 'args'], fail);
    if (build.labels !== undefined) build.labels = keyValueMap(build.labels, [...at, 'build', 'labels'], fail);
    build.context = path.resolve(projectDir, String(build.context ?? '.'));
    out.build = build;
  }
  if (service.env_file !== undefined) {
    const list = Array.isArray(service.env_file) ? service.env_file : [service.env_file];
    out.env_file = list.map((e) => (isObject(e) ? { path: path.resolve(projectDir, String(e.path)), required: e.required !== false } : { path: path.resolve(projectDir, String(e)), required: true }));
  }
  if (isObject(service.extra_hosts)) out.extra_hosts = Object.entries(service.extra_hosts).map(([h, ip]) => `${h}:${String(ip)}`);
  for (const key of ['dns', 'dns_search', 'tmpfs'] as const) if (typeof service[key] === 'string') out[key] = [service[key]];
  return out;
}

export function throwAt(file: string, lineOf: (p: ReadonlyArray<string | number>) => number | undefined): Fail {
  return (key, message) => {
    throw new ComposeError(message, { file, line: lineOf(key), path: formatPath(key) });
  };
}

/** ['services', 'web', 'ports', 0] → services.web.ports[0] */
export function formatPath(key: ReadonlyArray<string | number>): string {
  return key.reduce<string>((acc, k) => (typeof k === 'number' || /^\d+$/.test(String(k)) ? `${acc}[${k}]` : acc ? `${acc}.${k}` : String(k)), '');
}
