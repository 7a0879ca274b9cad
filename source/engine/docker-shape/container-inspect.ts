// `inspect` of a container with every key docker 28 (API 1.48) prints, in docker's order and
// with docker's zero values ("" / 0 / null / []) where strata has no such setting, so that the
// docker CLI and scripts reading docker's JSON find what they look for.
import type { ContainerRecord, IdMapping } from '../api.js';
import { MASKED_PATHS, READONLY_PATHS } from '../runtime/security.js';
import { containerNetworkShape } from './network-shape.js';
import { dockerStateName } from '../format/status.js';

/** Where the store keeps things: inspect names the container's overlay dirs as docker does. */
export interface InspectPaths {
  root: string; // the store root (--root)
  imageChainIds?: string[]; // the container's image layers, bottom first (absent: image gone)
}

const NEVER = '0001-01-01T00:00:00Z';
const SHM_SIZE = 64 * 1024 * 1024; // the shim mounts /dev/shm with size=65536k

export function containerInspect(c: ContainerRecord, where: InspectPaths) {
  const s = c.state;
  const h = c.hostConfig;
  const net = containerNetworkShape(c);
  const dir = `${where.root}/containers/${c.id}`;
  const started = s.startedAt !== NEVER && s.startedAt !== '';
  const layers = (where.imageChainIds ?? []).map((chain) => `${where.root}/layers/${chain.replace(/^sha256:/, '')}/diff`).reverse();
  const tmpfs = (c.mounts ?? []).filter((m) => m.type === 'tmpfs');
  const anonymous = (c.mounts ?? []).filter((m) => m.anonymous);
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: dockerStateName(s),
      Running: s.running,
      Paused: s.paused,
      Restarting: s.status === 'restarting',
      OOMKilled: s.oomKilled,
      Dead: s.status === 'dead',
      Pid: s.pid,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: s.startedAt,
      FinishedAt: s.finishedAt,
      ...(s.health ? { Health: { Status: s.health.status, FailingStreak: s.health.failingStreak, Log: s.health.log.map((r) => ({ Start: r.start, End: r.end, ExitCode: r.exitCode, Output: r.output })) } } : {}),
    },
    Image: c.config.imageId,
    // docker writes these files when the container first starts
    ResolvConfPath: started ? `${dir}/resolv.conf` : '',
    HostnamePath: started ? `${dir}/hostname` : '',
    HostsPath: started ? `${dir}/hosts` : '',
    LogPath: c.logPath,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    // strata's own: the host ids of the container's user namespace (OCI's linux.uidMappings shape)
    ...(c.idMapping ? { StrataIdMappings: idMappingsShape(c.idMapping) } : {}),
    HostConfig: {
      Binds: net.HostConfig.Binds,
      ContainerIDFile: h.containerIdFile ?? '',
      LogConfig: {
        Type: 'json-file',
        Config: {
          ...(h.log.maxFiles !== undefined ? { 'max-file': String(h.log.maxFiles) } : {}),
          ...(h.log.maxSizeBytes !== undefined ? { 'max-size': String(h.log.maxSizeBytes) } : {}),
        },
      },
      NetworkMode: h.network === 'private' ? 'bridge' : h.network,
      PortBindings: net.HostConfig.PortBindings,
      RestartPolicy: { Name: h.restartPolicy?.name ?? 'no', MaximumRetryCount: h.restartPolicy?.maximumRetryCount ?? 0 },
      AutoRemove: h.autoRemove,
      VolumeDriver: '',
      VolumesFrom: h.volumesFrom?.length ? h.volumesFrom : null,
      ConsoleSize: [0, 0],
      CapAdd: h.capAdd.length ? h.capAdd : null,
      CapDrop: h.capDrop.length ? h.capDrop : null,
      CgroupnsMode: h.cgroupns ?? 'private',
      Dns: net.HostConfig.Dns,
      DnsOptions: h.dnsOptions ?? [],
      DnsSearch: h.dnsSearch ?? [],
      ExtraHosts: net.HostConfig.ExtraHosts,
      GroupAdd: h.groupAdd?.length ? h.groupAdd : null,
      IpcMode: h.ipcMode || 'private',
      Cgroup: '',
      Links: null,
      OomScoreAdj: h.oomScoreAdj ?? 0,
      PidMode: h.pidMode ?? '',
      Privileged: h.privileged,
      PublishAllPorts: net.HostConfig.PublishAllPorts,
      ReadonlyRootfs: h.readOnly,
      SecurityOpt: h.securityOpt?.length ? h.securityOpt : null,
      ...(tmpfs.length ? { Tmpfs: Object.fromEntries(tmpfs.map((m) => [m.destination, m.options ?? ''])) } : {}),
      UTSMode: h.utsMode ?? '',
      UsernsMode: h.usernsMode === 'auto' ? 'auto' : '',
      ShmSize: h.shmSizeBytes ?? SHM_SIZE,
      ...(h.sysctls && Object.keys(h.sysctls).length ? { Sysctls: h.sysctls } : {}), // omitempty
      Runtime: 'strata',
      Isolation: '',
      CpuShares: h.limits.cpuShares ?? 0,
      Memory: h.limits.memoryBytes ?? 0,
      NanoCpus: h.limits.nanoCpus ?? 0,
      CgroupParent: h.cgroupParent ?? '',
      BlkioWeight: h.limits.blkioWeight ?? 0,
      BlkioWeightDevice: [],
      BlkioDeviceReadBps: [],
      BlkioDeviceWriteBps: [],
      BlkioDeviceReadIOps: [],
      BlkioDeviceWriteIOps: [],
      CpuPeriod: h.limits.cpuPeriod ?? 0,
      CpuQuota: h.limits.cpuQuota ?? 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: h.limits.cpusetCpus ?? '',
      CpusetMems: h.limits.cpusetMems ?? '',
      Devices: (h.devices ?? []).map((d) => ({ PathOnHost: d.pathOnHost, PathInContainer: d.pathInContainer, CgroupPermissions: d.cgroupPermissions })),
      DeviceCgroupRules: null,
      DeviceRequests: null,
      MemoryReservation: h.limits.memoryReservationBytes ?? 0,
      // strata gives no swap beyond --memory (memory.swap.max 0): memory+swap is the limit itself
      MemorySwap: h.limits.memorySwapBytes ?? h.limits.memoryBytes ?? 0,
      MemorySwappiness: null,
      OomKillDisable: null,
      PidsLimit: h.limits.pidsLimit ?? null,
      Ulimits: (h.ulimits ?? []).map((u) => ({ Name: u.name, Hard: u.hard, Soft: u.soft })),
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      MaskedPaths: h.privileged ? null : [...MASKED_PATHS],
      ReadonlyPaths: h.privileged ? null : [...READONLY_PATHS],
      // docker prints Init only when --init was given; strata records false for a run without it
      ...(h.init ? { Init: true } : {}),
    },
    GraphDriver: {
      Data: {
        LowerDir: [`${dir}/init`, ...layers].join(':'),
        MergedDir: `${dir}/merged`,
        UpperDir: `${dir}/upper`,
        WorkDir: `${dir}/work`,
      },
      Name: 'overlay2',
    },
    Mounts: net.Mounts,
    Config: {
      Hostname: c.config.hostname,
      Domainname: c.config.domainname ?? '',
      User: c.config.user,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(c.exposedPorts?.length ? { ExposedPorts: net.ExposedPorts } : {}),
      Tty: c.config.tty,
      OpenStdin: c.config.openStdin,
      StdinOnce: false,
      Env: c.config.env,
      Cmd: c.config.cmd.length ? c.config.cmd : null,
      ...(c.healthcheck ? { Healthcheck: c.healthcheck } : {}),
      Image: c.config.image,
      Volumes: anonymous.length ? Object.fromEntries(anonymous.map((m) => [m.destination, {}])) : null,
      WorkingDir: c.config.workdir,
      Entrypoint: c.config.entrypoint.length ? c.config.entrypoint : null,
      OnBuild: null,
      Labels: c.config.labels,
      // strata keeps the effective values; docker prints them only when the image or a flag set them
      ...(c.config.stopSignal && c.config.stopSignal !== 'SIGTERM' ? { StopSignal: c.config.stopSignal } : {}),
      ...(c.config.stopTimeout !== 10 ? { StopTimeout: c.config.stopTimeout } : {}),
    },
    NetworkSettings: net.NetworkSettings,
  };
}

function idMappingsShape(m: IdMapping): { UidMap: IdMapShape[]; GidMap: IdMapShape[] } {
  return {
    UidMap: [{ ContainerID: 0, HostID: m.uidStart, Size: m.size }],
    GidMap: [{ ContainerID: 0, HostID: m.gidStart, Size: m.size }],
  };
}

interface IdMapShape {
  ContainerID: number;
  HostID: number;
  Size: number;
}
