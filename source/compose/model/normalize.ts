// A merged, validated service (canonical form) as the typed ComposeService the reconcile uses:
// durations, sizes and CPU counts parsed, commands split, env files read, defaults applied.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerLimits, HealthConfig, RestartPolicy } from '../../engine/api.js';
import { parseGoDuration } from '../../engine/format/duration.js';
import { shellWords } from '../../engine/format/shell-words.js';
import { parseRamBytes } from '../../engine/format/size.js';
import { readEnvFile } from './env-file.js';
import type { LongPort, LongVolume } from './canonical.js';
import type { ComposeService, FileMount, ServiceBuild, ServiceDependency, ServiceNetwork } from './types.js';

type Raw = Record<string, unknown>;
export type Fail = (key: ReadonlyArray<string | number>, message: string) => never;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

function durationNs(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value / 1e6 : parseGoDuration(String(value));
  if (ms === undefined || ms < 0) return fail(at, `invalid duration "${String(value)}"`);
  return Math.round(ms * 1e6);
}

function bytes(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  try {
    return parseRamBytes(String(value).replace(/([kmgtKMGT])[bB]$/, '$1'), path.basename(at.map(String).join('.')));
  } catch {
    return fail(at, `invalid size "${String(value)}"`);
  }
}

function command(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  try {
    return shellWords(String(value));
  } catch (error) {
    return fail(at, (error as Error).message);
  }
}

function healthcheck(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): HealthConfig | undefined {
  if (!isObject(value)) return undefined;
  if (value.disable === true) return { Test: ['NONE'] };
  const test = value.test;
  const out: HealthConfig = { Test: typeof test === 'string' ? ['CMD-SHELL', test] : Array.isArray(test) ? test.map(String) : [] };
  const put = (key: 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval', raw: string) => {
    const ns = durationNs(value[raw], [...at, raw], fail);
    if (ns !== undefined) out[key] = ns;
  };
  put('Interval', 'interval');
  put('Timeout', 'timeout');
  put('StartPeriod', 'start_period');
  put('StartInterval', 'start_interval');
  if (value.retries !== undefined) out.Retries = Number(value.retries);
  return out;
}

function restartPolicy(value: unknown, at: ReadonlyArray<string | number>, fail: Fail): RestartPolicy | undefined {
  if (value === undefined) return undefined;
  const m = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(String(value));
  if (!m || (m[2] && m[1] !== 'on-failure')) return fail(at, `invalid restart policy "${String(value)}"`);
  return { name: m[1] as RestartPolicy['name'], maximumRetryCount: Number(m[2] ?? 0) };
}

function limits(svc: Raw, at: ReadonlyArray<string | number>, fail: Fail): ContainerLimits {
  const deploy = isObject(svc.deploy) ? svc.deploy : {};
  const resources = isObject(deploy.resources) ? deploy.resources : {};
  const lim = isObject(resources.limits) ? resources.limits : {};
  const res = isObject(resources.reservations) ? resources.reservations : {};
  const out: ContainerLimits = {};
  const cpus = lim.cpus ?? svc.cpus;
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!(n >= 0)) fail([...at, 'cpus'], `invalid cpus "${String(cpus)}"`);
    if (n > 0) out.nanoCpus = Math.round(n * 1e9);
  }
  const memory = bytes(lim.memory ?? svc.mem_limit, [...at, 'deploy', 'resources', 'limits', 'memory'], fail);
  if (memory) out.memoryBytes = memory;
  const pids = lim.pids ?? svc.pids_limit;
  if (pids !== undefined) out.pidsLimit = Number(pids);
  const reservation = bytes(res.memory ?? svc.mem_reservation, [...at, 'mem_reservation'], fail);
  if (reservation) out.memoryReservationBytes = reservation;
  const swap = svc.memswap_limit === -1 || svc.memswap_limit === '-1' ? -1 : bytes(svc.memswap_limit, [...at, 'memswap_limit'], fail);
  if (swap) out.memorySwapBytes = swap;
  if (svc.cpu_shares !== undefined) out.cpuShares = Number(svc.cpu_shares);
  if (svc.cpuset !== undefined) out.cpusetCpus = String(svc.cpuset);
  if (svc.cpu_period !== undefined) out.cpuPeriod = Number(svc.cpu_period);
  if (svc.cpu_quota !== undefined) out.cpuQuota = Number(svc.cpu_quota);
  return out;
}

function environment(svc: Raw, lookup: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (svc.env_file as Array<{ path: string; required: boolean }> | undefined) ?? []) {
    if (!entry.required && !fs.existsSync(entry.path)) continue;
    for (const [k, v] of readEnvFile(entry.path, lookup)) out[k] = v;
  }
  for (const [k, v] of Object.entries((svc.environment as Record<string, string | null>) ?? {})) {
    if (v !== null) out[k] = v;
    else {
      const inherited = lookup(k);
      if (inherited !== undefined) out[k] = inherited;
    }
  }
  return out;
}

/** A top-level secret or config's data: a host file, an environment variable, or (configs) inline content. */
function fileSource(kind: 'secrets' | 'configs', source: string, def: Raw, fail: Fail, projectDir: string, lookup: (name: string) => string | undefined): Pick<FileMount, 'file' | 'content' | 'variable'> {
  if (typeof def.file === 'string') return { file: path.resolve(projectDir, def.file) };
  if (typeof def.environment === 'string') {
    // unset: refused when a container needs it, as docker compose does (exec, ps… still work)
    const value = lookup(def.environment);
    return { variable: def.environment, ...(value !== undefined ? { content: value } : {}) };
  }
  if (kind === 'configs' && typeof def.content === 'string') return { content: def.content };
  if (def.external === true || isObject(def.external)) return fail([kind, source, 'external'], `external ${kind} need a swarm, which strata is not`);
  return fail([kind, source], `${kind.slice(0, -1)} ${source} has no file, environment${kind === 'configs' ? ' or content' : ''}`);
}

function fileMounts(kind: 'secrets' | 'configs', svc: Raw, top: Raw, at: ReadonlyArray<string | number>, fail: Fail, projectDir: string, lookup: (name: string) => string | undefined): FileMount[] {
  const defined = isObject(top[kind]) ? top[kind] : {};
  return ((svc[kind] as unknown[] | undefined) ?? []).map((entry, i) => {
    const source = isObject(entry) ? String(entry.source) : String(entry);
    const def = defined[source];
    if (!isObject(def)) return fail([...at, kind, i], `service refers to undefined ${kind.slice(0, -1)} ${source}`);
    const given = isObject(entry) && entry.target ? String(entry.target) : undefined;
    const target = kind === 'secrets' ? (given?.startsWith('/') ? given : `/run/secrets/${given ?? source}`) : (given ?? `/${source}`);
    const mode = isObject(entry) && entry.mode !== undefined ? Number(typeof entry.mode === 'string' ? parseInt(entry.mode, 8) : entry.mode) : undefined;
    return { source, target, ...fileSource(kind, source, def, fail, projectDir, lookup), ...(mode !== undefined ? { mode } : {}) };
  });
}

export function normalizeService(name: string, svc: Raw, top: Raw, projectName: string, projectDir: string, lookup: (name: string) => string | undefined, fail: Fail): ComposeService {
  const at = ['services', name];
  const rawBuild = isObject(svc.build) ? svc.build : undefined;
  const build: ServiceBuild | undefined = rawBuild
    ? {
      context: String(rawBuild.context),
      ...(rawBuild.dockerfile ? { dockerfile: String(rawBuild.dockerfile) } : {}),
      args: Object.fromEntries(Object.entries((rawBuild.args as Record<string, string | null>) ?? {}).flatMap(([k, v]) => {
        const value = v ?? lookup(k);
        return value === undefined ? [] : [[k, value]];
      })),
      ...(rawBuild.target ? { target: String(rawBuild.target) } : {}),
      labels: (rawBuild.labels as Record<string, string>) ?? {},
      ...(rawBuild.no_cache ? { noCache: true } : {}),
    }
    : undefined;
  if (!svc.image && !build) fail(at, 'has neither an image nor a build context specified: at least one must be provided');
  const networkMode = svc.network_mode === undefined ? undefined : String(svc.network_mode);
  const rawNetworks = (svc.networks as Record<string, Raw | null> | undefined) ?? {};
  const networks: Record<string, ServiceNetwork> = {};
  if (networkMode === undefined) {
    const keys = Object.keys(rawNetworks).length > 0 ? Object.keys(rawNetworks) : ['default'];
    for (const key of keys) {
      const v = rawNetworks[key] ?? {};
      networks[key] = { aliases: strings(v.aliases), ...(v.ipv4_address ? { ipv4Address: String(v.ipv4_address) } : {}), ...(v.priority !== undefined ? { priority: Number(v.priority) } : {}) };
    }
  }
  const deploy = isObject(svc.deploy) ? svc.deploy : {};
  const scale = Number(svc.scale ?? deploy.replicas ?? 1);
  const stopGrace = durationNs(svc.stop_grace_period, [...at, 'stop_grace_period'], fail);
  return {
    name,
    ...(svc.image ? { image: String(svc.image) } : {}),
    ...(build ? { build } : {}),
    pullPolicy: (svc.pull_policy as ComposeService['pullPolicy']) ?? (build && !svc.image ? 'build' : 'missing'),
    ...(svc.command !== undefined ? { command: command(svc.command, [...at, 'command'], fail) } : {}),
    ...(svc.entrypoint !== undefined ? { entrypoint: command(svc.entrypoint, [...at, 'entrypoint'], fail) } : {}),
    environment: environment(svc, lookup),
    ports: (svc.ports as LongPort[]) ?? [],
    expose: strings(svc.expose),
    volumes: (svc.volumes as LongVolume[]) ?? [],
    tmpfs: strings(svc.tmpfs),
    networks,
    ...(networkMode ? { networkMode } : {}),
    dependsOn: (svc.depends_on as Record<string, ServiceDependency>) ?? {},
    ...(svc.healthcheck ? { healthcheck: healthcheck(svc.healthcheck, [...at, 'healthcheck'], fail) } : {}),
    ...(svc.restart !== undefined ? { restart: restartPolicy(svc.restart, [...at, 'restart'], fail) } : {}),
    limits: limits(svc, at, fail),
    ...(svc.user !== undefined ? { user: String(svc.user) } : {}),
    ...(svc.working_dir ? { workingDir: String(svc.working_dir) } : {}),
    labels: (svc.labels as Record<string, string>) ?? {},
    capAdd: strings(svc.cap_add),
    capDrop: strings(svc.cap_drop),
    privileged: svc.privileged === true,
    init: svc.init === true,
    readOnly: svc.read_only === true,
    securityOpt: strings(svc.security_opt),
    ...(svc.stop_signal ? { stopSignal: String(svc.stop_signal) } : {}),
    ...(stopGrace !== undefined ? { stopGracePeriodSeconds: Math.ceil(stopGrace / 1e9) } : {}),
    extraHosts: strings(svc.extra_hosts),
    dns: strings(svc.dns),
    ...(svc.hostname ? { hostname: String(svc.hostname) } : {}),
    ...(svc.domainname ? { domainname: String(svc.domainname) } : {}),
    tty: svc.tty === true,
    stdinOpen: svc.stdin_open === true,
    ...(svc.container_name ? { containerName: String(svc.container_name) } : {}),
    scale: Number.isInteger(scale) && scale >= 0 ? scale : fail([...at, 'scale'], `invalid scale ${String(svc.scale ?? deploy.replicas)}`),
    profiles: strings(svc.profiles),
    secrets: fileMounts('secrets', svc, top, at, fail, projectDir, lookup),
    configs: fileMounts('configs', svc, top, at, fail, projectDir, lookup),
  };
}

/** The image a service runs: its own, or the one built for it (<project>-<service>). */
export function serviceImage(projectName: string, svc: { name: string; image?: string }): string {
  return svc.image ?? `${projectName}-${svc.name}`;
}
