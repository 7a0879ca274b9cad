// POST /containers/create: the body the docker CLI (and the SDKs) send — Config at the top,
// HostConfig and NetworkingConfig inside — as the engine's CreateOptions.
import type { CreateOptions, MountRequest, PortMapping, RestartPolicy } from '../engine/api.js';
import { badRequest } from './errors.js';

interface DockerMount { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean; TmpfsOptions?: { SizeBytes?: number; Mode?: number } }
interface DockerHostConfig {
  Binds?: string[] | null;
  Mounts?: DockerMount[] | null;
  Tmpfs?: Record<string, string> | null;
  PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
  PublishAllPorts?: boolean;
  NetworkMode?: string;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  SecurityOpt?: string[] | null;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  GroupAdd?: string[] | null;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  CgroupnsMode?: string;
  CgroupParent?: string;
  OomScoreAdj?: number;
  ShmSize?: number;
  Sysctls?: Record<string, string> | null;
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  Devices?: Array<{ PathOnHost: string; PathInContainer?: string; CgroupPermissions?: string }> | null;
  VolumesFrom?: string[] | null;
  Init?: boolean | null;
  LogConfig?: { Type?: string; Config?: Record<string, string> };
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  PidsLimit?: number | null;
  Annotations?: Record<string, string> | null;
  ConsoleSize?: [number, number];
}
export interface DockerCreateBody {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | string | null;
  Entrypoint?: string[] | string | null;
  Image?: string;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  ExposedPorts?: Record<string, object> | null;
  Volumes?: Record<string, object> | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number } | null;
  MacAddress?: string;
  HostConfig?: DockerHostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, { IPAMConfig?: { IPv4Address?: string } | null; Aliases?: string[] | null; MacAddress?: string }> | null };
}

const words = (v: string[] | string | null | undefined) => (v === undefined || v === null ? undefined : typeof v === 'string' ? [v] : v);
const nonEmpty = <T>(list: T[] | null | undefined) => (list && list.length ? list : undefined);

export function createOptions(body: DockerCreateBody, name: string | null): CreateOptions {
  if (!body.Image) throw badRequest('Config cannot be empty in order to create a container');
  const h = body.HostConfig ?? {};
  const opts: CreateOptions = { image: body.Image };
  if (name) opts.name = name.replace(/^\//, '');
  const cmd = words(body.Cmd);
  if (cmd && cmd.length) opts.cmd = cmd;
  const entrypoint = words(body.Entrypoint);
  if (entrypoint) opts.entrypoint = entrypoint;
  if (body.Env?.length) opts.env = body.Env;
  if (body.WorkingDir) opts.workdir = body.WorkingDir;
  if (body.User) opts.user = body.User;
  if (body.Hostname) opts.hostname = body.Hostname;
  if (body.Domainname) opts.domainname = body.Domainname;
  if (body.Tty) opts.tty = true;
  if (body.OpenStdin) opts.openStdin = true;
  if (body.Labels && Object.keys(body.Labels).length) opts.labels = body.Labels;
  if (body.StopSignal) opts.stopSignal = body.StopSignal;
  if (typeof body.StopTimeout === 'number') opts.stopTimeout = body.StopTimeout;
  if (body.MacAddress) opts.macAddress = body.MacAddress;
  if (body.Healthcheck?.Test?.length) opts.healthcheck = { ...body.Healthcheck, Test: body.Healthcheck.Test };
  const exposed = Object.keys(body.ExposedPorts ?? {});
  if (exposed.length) opts.exposedPorts = exposed.map((p) => (p.includes('/') ? p : `${p}/tcp`));

  const limits: NonNullable<CreateOptions['limits']> = {};
  if (h.Memory) limits.memoryBytes = h.Memory;
  if (h.MemorySwap) limits.memorySwapBytes = h.MemorySwap;
  if (h.MemoryReservation) limits.memoryReservationBytes = h.MemoryReservation;
  if (h.NanoCpus) limits.nanoCpus = h.NanoCpus;
  if (h.CpuShares) limits.cpuShares = h.CpuShares;
  if (h.CpuPeriod) limits.cpuPeriod = h.CpuPeriod;
  if (h.CpuQuota) limits.cpuQuota = h.CpuQuota;
  if (h.CpusetCpus) limits.cpusetCpus = h.CpusetCpus;
  if (h.PidsLimit) limits.pidsLimit = h.PidsLimit;
  if (Object.keys(limits).length) opts.limits = limits;

  if (h.Privileged) opts.privileged = true;
  if (h.ReadonlyRootfs) opts.readOnly = true;
  if (h.AutoRemove) opts.autoRemove = true;
  if (h.Init) opts.init = true;
  if (nonEmpty(h.CapAdd)) opts.capAdd = h.CapAdd!;
  if (nonEmpty(h.CapDrop)) opts.capDrop = h.CapDrop!;
  if (nonEmpty(h.SecurityOpt)) opts.securityOpt = h.SecurityOpt!;
  if (nonEmpty(h.Dns)) opts.dns = h.Dns!;
  if (nonEmpty(h.DnsOptions)) opts.dnsOptions = h.DnsOptions!;
  if (nonEmpty(h.DnsSearch)) opts.dnsSearch = h.DnsSearch!;
  if (nonEmpty(h.ExtraHosts)) opts.extraHosts = h.ExtraHosts!;
  if (nonEmpty(h.GroupAdd)) opts.groupAdd = h.GroupAdd!;
  if (nonEmpty(h.VolumesFrom)) opts.volumesFrom = h.VolumesFrom!;
  if (h.IpcMode && h.IpcMode !== 'private' && h.IpcMode !== 'shareable') opts.ipcMode = h.IpcMode;
  if (h.PidMode) opts.pidMode = h.PidMode;
  if (h.UTSMode) opts.utsMode = h.UTSMode;
  if (h.CgroupnsMode === 'host' || h.CgroupnsMode === 'private') opts.cgroupns = h.CgroupnsMode;
  if (h.CgroupParent) opts.cgroupParent = h.CgroupParent;
  if (h.OomScoreAdj) opts.oomScoreAdj = h.OomScoreAdj;
  if (h.ShmSize) opts.shmSizeBytes = h.ShmSize;
  if (h.Sysctls && Object.keys(h.Sysctls).length) opts.sysctls = h.Sysctls;
  if (h.Annotations && Object.keys(h.Annotations).length) opts.annotations = h.Annotations;
  if (nonEmpty(h.Ulimits)) opts.ulimits = h.Ulimits!.map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
  if (nonEmpty(h.Devices)) {
    opts.devices = h.Devices!.map((d) => ({ pathOnHost: d.PathOnHost, pathInContainer: d.PathInContainer || d.PathOnHost, cgroupPermissions: d.CgroupPermissions || 'rwm' }));
  }
  const logConfig = h.LogConfig?.Config ?? {};
  if (logConfig['max-size'] || logConfig['max-file']) {
    opts.log = {};
    if (logConfig['max-size']) opts.log.maxSizeBytes = sizeBytes(logConfig['max-size']);
    if (logConfig['max-file']) opts.log.maxFiles = Number(logConfig['max-file']);
  }
  const restart = restartPolicy(h.RestartPolicy);
  if (restart) opts.restartPolicy = restart;

  const network = h.NetworkMode && h.NetworkMode !== 'default' ? h.NetworkMode : undefined;
  if (network) opts.network = network;
  const endpoints = body.NetworkingConfig?.EndpointsConfig ?? {};
  const endpoint = (network && endpoints[network]) || Object.values(endpoints)[0];
  if (endpoint?.IPAMConfig?.IPv4Address) opts.ipAddress = endpoint.IPAMConfig.IPv4Address;
  if (endpoint?.MacAddress && !opts.macAddress) opts.macAddress = endpoint.MacAddress;

  const ports = portBindings(h.PortBindings ?? {});
  if (ports.length) opts.ports = ports;
  if (h.PublishAllPorts) opts.publishAll = true;

  const mounts = [...(h.Binds ?? []).map(bindMount), ...(h.Mounts ?? []).map(apiMount), ...Object.entries(h.Tmpfs ?? {}).map(([target, options]) => tmpfsMount(target, options))];
  // anonymous volumes asked for in Config.Volumes (docker create -v /data)
  for (const target of Object.keys(body.Volumes ?? {})) {
    if (!mounts.some((m) => m.target === target)) mounts.push({ type: 'volume', target });
  }
  if (mounts.length) opts.mounts = mounts;
  return opts;
}

function restartPolicy(p: DockerHostConfig['RestartPolicy']): RestartPolicy | undefined {
  const name = p?.Name ?? '';
  if (name === '' || name === 'no') return undefined;
  if (name !== 'always' && name !== 'on-failure' && name !== 'unless-stopped') throw badRequest(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  return { name, maximumRetryCount: p?.MaximumRetryCount ?? 0 };
}

function portBindings(bindings: NonNullable<DockerHostConfig['PortBindings']>): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const [portText, proto = 'tcp'] = key.split('/');
    const containerPort = Number(portText);
    if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) throw badRequest(`invalid port specification: "${key}"`);
    if (proto !== 'tcp' && proto !== 'udp') throw badRequest(`invalid proto: ${proto}`);
    for (const b of list ?? [{}]) {
      const mapping: PortMapping = { containerPort, protocol: proto };
      if (b.HostIp) mapping.hostIp = b.HostIp;
      if (b.HostPort) {
        const hostPort = Number(b.HostPort);
        if (!Number.isInteger(hostPort) || hostPort < 0 || hostPort > 65535) throw badRequest(`invalid hostPort: ${b.HostPort}`);
        mapping.hostPort = hostPort;
      }
      out.push(mapping);
    }
  }
  return out;
}

// "SRC:DEST[:OPTS]": an absolute SRC is a bind, anything else a named volume
function bindMount(spec: string): MountRequest {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw badRequest(`invalid volume specification: '${spec}'`);
  const [source, target, options = ''] = parts;
  if (!target.startsWith('/')) throw badRequest(`invalid volume specification: '${spec}': invalid mount config: mount path must be absolute`);
  const readOnly = options.split(',').includes('ro');
  return { type: source.startsWith('/') ? 'bind' : 'volume', source, target, ...(readOnly ? { readOnly } : {}) };
}

function apiMount(m: DockerMount): MountRequest {
  const type = m.Type ?? 'volume';
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') throw badRequest(`mount type unknown: ${type}`);
  if (!m.Target) throw badRequest('invalid mount config: Target must not be empty');
  const out: MountRequest = { type, target: m.Target };
  if (m.Source) out.source = m.Source;
  if (m.ReadOnly) out.readOnly = true;
  if (m.TmpfsOptions?.SizeBytes) out.tmpfsSizeBytes = m.TmpfsOptions.SizeBytes;
  if (m.TmpfsOptions?.Mode) out.tmpfsMode = m.TmpfsOptions.Mode;
  return out;
}

function tmpfsMount(target: string, options: string): MountRequest {
  const out: MountRequest = { type: 'tmpfs', target };
  for (const option of options.split(',').filter(Boolean)) {
    const [k, v = ''] = option.split('=');
    if (k === 'size') out.tmpfsSizeBytes = sizeBytes(v);
    else if (k === 'mode') out.tmpfsMode = parseInt(v, 8);
    else if (k === 'ro') out.readOnly = true;
  }
  return out;
}

function sizeBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw badRequest(`invalid size: '${text}'`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}
