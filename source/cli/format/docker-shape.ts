// Engine records in the shapes docker prints (inspect JSON, --format json rows), so scripts
// and templates written for docker (`-f '{{.State.Status}}'`) keep working.
import type { ContainerRecord, ContainerSummary, ImageRecord, ImageSummary, StatsSample } from '../../engine/api.js';
import { psCommand, shortId } from './command.js';
import { containerNetworkShape, psPorts } from './network-shape.js';
import { dockerTimestamp, timeAgo } from '../../engine/format/duration.js';
import { bytesSize, humanSize } from '../../engine/format/size.js';

export function containerInspect(c: ContainerRecord) {
  const s = c.state;
  const net = containerNetworkShape(c);
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: {
      Status: s.status,
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
    },
    Image: c.config.imageId,
    LogPath: c.logPath,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay',
    Platform: 'linux',
    HostConfig: {
      Memory: c.hostConfig.limits.memoryBytes ?? 0,
      NanoCpus: c.hostConfig.limits.nanoCpus ?? 0,
      CpuShares: c.hostConfig.limits.cpuShares ?? 0,
      PidsLimit: c.hostConfig.limits.pidsLimit ?? null,
      Privileged: c.hostConfig.privileged,
      CapAdd: c.hostConfig.capAdd.length ? c.hostConfig.capAdd : null,
      CapDrop: c.hostConfig.capDrop.length ? c.hostConfig.capDrop : null,
      SecurityOpt: c.hostConfig.securityOpt?.length ? c.hostConfig.securityOpt : null,
      ReadonlyRootfs: c.hostConfig.readOnly,
      AutoRemove: c.hostConfig.autoRemove,
      Init: c.hostConfig.init ?? false,
      NetworkMode: c.hostConfig.network,
      CgroupnsMode: c.hostConfig.cgroupns ?? 'private',
      ...net.HostConfig,
      LogConfig: {
        Type: 'json-file',
        Config: {
          ...(c.hostConfig.log.maxSizeBytes !== undefined ? { 'max-size': String(c.hostConfig.log.maxSizeBytes) } : {}),
          ...(c.hostConfig.log.maxFiles !== undefined ? { 'max-file': String(c.hostConfig.log.maxFiles) } : {}),
        },
      },
    },
    Config: {
      Hostname: c.config.hostname,
      User: c.config.user,
      Tty: c.config.tty,
      OpenStdin: c.config.openStdin,
      Env: c.config.env,
      Cmd: c.config.cmd,
      Image: c.config.image,
      WorkingDir: c.config.workdir,
      Entrypoint: c.config.entrypoint.length ? c.config.entrypoint : null,
      Labels: c.config.labels,
      StopSignal: c.config.stopSignal,
      StopTimeout: c.config.stopTimeout,
      ExposedPorts: net.ExposedPorts,
    },
    Cgroups: c.cgroupPaths,
    NetworkSettings: net.NetworkSettings,
    Mounts: net.Mounts,
  };
}

export function imageInspect(i: ImageRecord) {
  return {
    Id: i.id,
    RepoTags: i.repoTags,
    RepoDigests: i.repoDigests,
    Parent: '',
    Comment: i.comment ?? '',
    Created: i.created,
    DockerVersion: '',
    Author: i.author ?? '',
    Architecture: i.architecture,
    Os: i.os,
    Size: i.size,
    Config: {
      Cmd: i.config.Cmd ?? null,
      Entrypoint: i.config.Entrypoint ?? null,
      Env: i.config.Env ?? null,
      WorkingDir: i.config.WorkingDir ?? '',
      User: i.config.User ?? '',
      Labels: i.config.Labels ?? null,
      StopSignal: i.config.StopSignal,
      ExposedPorts: i.config.ExposedPorts,
      Volumes: i.config.Volumes,
      OnBuild: i.config.OnBuild ?? null,
      ...(i.config.Healthcheck ? { Healthcheck: i.config.Healthcheck } : {}),
      ...(i.config.Shell ? { Shell: i.config.Shell } : {}),
    },
    RootFS: { Type: 'layers', Layers: i.diffIds },
    GraphDriver: { Name: 'overlay', Data: null },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z', ManifestDigest: i.manifestDigest, ChainIds: i.chainIds },
  };
}

// One row of `ps --format json`, with docker's field names; templates also get docker's
// method `{{.Label "k"}}` (not enumerable: neither JSON nor {{.}} shows it).
export function psRow(c: ContainerSummary, noTrunc: boolean, now: Date = new Date()) {
  const labels = c.labels ?? {};
  const row = {
    Command: psCommand(c.command, noTrunc),
    CreatedAt: dockerTimestamp(c.created),
    ID: noTrunc ? c.id : shortId(c.id),
    Image: c.image,
    Labels: Object.keys(labels).map((k) => `${k}=${labels[k]}`).sort().join(','),
    LocalVolumes: '0',
    Mounts: '',
    Names: c.name,
    Networks: '',
    Ports: psPorts(c.ports),
    RunningFor: timeAgo(c.created, now),
    Size: '0B',
    State: c.status,
    Status: c.statusText,
  };
  const Label = Object.assign((name: string) => labels[name] ?? '', { params: ['string'] });
  return Object.defineProperty(row, 'Label', { value: Label, enumerable: false }) as typeof row & { Label(name: string): string };
}

// One row per tag (or a single <none> row), like `docker images`.
export function imageRows(images: ImageSummary[], noTrunc = false, now: Date = new Date()) {
  const rows = [];
  for (const img of images) {
    const tags = img.repoTags.length ? img.repoTags : ['<none>:<none>'];
    for (const ref of tags) {
      const colon = ref.lastIndexOf(':');
      const slash = ref.lastIndexOf('/');
      const [repository, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, '<none>'];
      rows.push({
        Containers: 'N/A',
        CreatedAt: dockerTimestamp(img.created),
        CreatedSince: timeAgo(img.created, now),
        Digest: img.repoDigests[0]?.split('@')[1] ?? '<none>',
        ID: noTrunc ? img.id : shortId(img.id),
        Repository: repository,
        SharedSize: 'N/A',
        Size: humanSize(img.size),
        Tag: tag,
        UniqueSize: 'N/A',
        VirtualSize: humanSize(img.size),
      });
    }
  }
  return rows;
}

export function statsRow(s: StatsSample, noTrunc = false) {
  const memPercent = s.memoryLimit > 0 ? (s.memoryUsage / s.memoryLimit) * 100 : 0;
  return {
    BlockIO: `${humanSize(s.blockRead)} / ${humanSize(s.blockWrite)}`,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    Container: noTrunc ? s.id : shortId(s.id),
    ID: noTrunc ? s.id : shortId(s.id),
    MemPerc: `${memPercent.toFixed(2)}%`,
    MemUsage: `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    Name: s.name,
    NetIO: `${humanSize(s.netRx)} / ${humanSize(s.netTx)}`,
    PIDs: String(s.pids),
  };
}
