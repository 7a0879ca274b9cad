// docker 28's (API 1.48) inspect key paths and JSON types, in order, for `docker run -d busybox
// sleep 60` and `docker image inspect busybox`, written from moby's api/types (ContainerJSONBase,
// container.HostConfig/Resources/Config, NetworkSettings, EndpointSettings, image.InspectResponse).
// Map-valued keys (labels, ports, …) are leaves; `*` stands for a network's name.

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

const MAPS = new Set([
  'HostConfig.LogConfig.Config', 'HostConfig.PortBindings', 'HostConfig.Tmpfs', 'Config.ExposedPorts', 'Config.Volumes',
  'Config.Labels', 'NetworkSettings.Ports', 'Config.Healthcheck',
]);

/** Every key path of an inspect object in order, with its JSON type. */
export function keyPaths(value: unknown, prefix = ''): Array<[string, JsonType]> {
  const out: Array<[string, JsonType]> = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix === 'NetworkSettings.Networks.' ? '*' : key;
    const p = `${prefix}${name}`;
    const type: JsonType = v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonType);
    out.push([p, type]);
    if (type === 'object' && !MAPS.has(p)) out.push(...keyPaths(v, `${p}.`));
  }
  return out;
}

const s = 'string', n = 'number', b = 'boolean', z = 'null', a = 'array', o = 'object';

export const DOCKER_CONTAINER_KEYS: Array<[string, JsonType]> = [
  ['Id', s], ['Created', s], ['Path', s], ['Args', a],
  ['State', o], ['State.Status', s], ['State.Running', b], ['State.Paused', b], ['State.Restarting', b],
  ['State.OOMKilled', b], ['State.Dead', b], ['State.Pid', n], ['State.ExitCode', n], ['State.Error', s],
  ['State.StartedAt', s], ['State.FinishedAt', s],
  ['Image', s], ['ResolvConfPath', s], ['HostnamePath', s], ['HostsPath', s], ['LogPath', s], ['Name', s],
  ['RestartCount', n], ['Driver', s], ['Platform', s], ['MountLabel', s], ['ProcessLabel', s],
  ['AppArmorProfile', s], ['ExecIDs', z],
  ['HostConfig', o], ['HostConfig.Binds', z], ['HostConfig.ContainerIDFile', s],
  ['HostConfig.LogConfig', o], ['HostConfig.LogConfig.Type', s], ['HostConfig.LogConfig.Config', o],
  ['HostConfig.NetworkMode', s], ['HostConfig.PortBindings', o],
  ['HostConfig.RestartPolicy', o], ['HostConfig.RestartPolicy.Name', s], ['HostConfig.RestartPolicy.MaximumRetryCount', n],
  ['HostConfig.AutoRemove', b], ['HostConfig.VolumeDriver', s], ['HostConfig.VolumesFrom', z], ['HostConfig.ConsoleSize', a],
  ['HostConfig.CapAdd', z], ['HostConfig.CapDrop', z], ['HostConfig.CgroupnsMode', s], ['HostConfig.Dns', a],
  ['HostConfig.DnsOptions', a], ['HostConfig.DnsSearch', a], ['HostConfig.ExtraHosts', z], ['HostConfig.GroupAdd', z],
  ['HostConfig.IpcMode', s], ['HostConfig.Cgroup', s], ['HostConfig.Links', z], ['HostConfig.OomScoreAdj', n],
  ['HostConfig.PidMode', s], ['HostConfig.Privileged', b], ['HostConfig.PublishAllPorts', b],
  ['HostConfig.ReadonlyRootfs', b], ['HostConfig.SecurityOpt', z], ['HostConfig.UTSMode', s],
  ['HostConfig.UsernsMode', s], ['HostConfig.ShmSize', n], ['HostConfig.Runtime', s], ['HostConfig.Isolation', s],
  ['HostConfig.CpuShares', n], ['HostConfig.Memory', n], ['HostConfig.NanoCpus', n], ['HostConfig.CgroupParent', s],
  ['HostConfig.BlkioWeight', n], ['HostConfig.BlkioWeightDevice', a], ['HostConfig.BlkioDeviceReadBps', a],
  ['HostConfig.BlkioDeviceWriteBps', a], ['HostConfig.BlkioDeviceReadIOps', a], ['HostConfig.BlkioDeviceWriteIOps', a],
  ['HostConfig.CpuPeriod', n], ['HostConfig.CpuQuota', n], ['HostConfig.CpuRealtimePeriod', n],
  ['HostConfig.CpuRealtimeRuntime', n], ['HostConfig.CpusetCpus', s], ['HostConfig.CpusetMems', s],
  ['HostConfig.Devices', a], ['HostConfig.DeviceCgroupRules', z], ['HostConfig.DeviceRequests', z],
  ['HostConfig.MemoryReservation', n], ['HostConfig.MemorySwap', n], ['HostConfig.MemorySwappiness', z],
  ['HostConfig.OomKillDisable', z], ['HostConfig.PidsLimit', z], ['HostConfig.Ulimits', a], ['HostConfig.CpuCount', n],
  ['HostConfig.CpuPercent', n], ['HostConfig.IOMaximumIOps', n], ['HostConfig.IOMaximumBandwidth', n],
  ['HostConfig.MaskedPaths', a], ['HostConfig.ReadonlyPaths', a],
  ['GraphDriver', o], ['GraphDriver.Data', o], ['GraphDriver.Data.LowerDir', s], ['GraphDriver.Data.MergedDir', s],
  ['GraphDriver.Data.UpperDir', s], ['GraphDriver.Data.WorkDir', s], ['GraphDriver.Name', s],
  ['Mounts', a],
  ['Config', o], ['Config.Hostname', s], ['Config.Domainname', s], ['Config.User', s], ['Config.AttachStdin', b],
  ['Config.AttachStdout', b], ['Config.AttachStderr', b], ['Config.Tty', b], ['Config.OpenStdin', b],
  ['Config.StdinOnce', b], ['Config.Env', a], ['Config.Cmd', a], ['Config.Image', s], ['Config.Volumes', z],
  ['Config.WorkingDir', s], ['Config.Entrypoint', z], ['Config.OnBuild', z], ['Config.Labels', o],
  ['NetworkSettings', o], ['NetworkSettings.Bridge', s], ['NetworkSettings.SandboxID', s],
  ['NetworkSettings.SandboxKey', s], ['NetworkSettings.Ports', o], ['NetworkSettings.HairpinMode', b],
  ['NetworkSettings.LinkLocalIPv6Address', s], ['NetworkSettings.LinkLocalIPv6PrefixLen', n],
  ['NetworkSettings.SecondaryIPAddresses', z], ['NetworkSettings.SecondaryIPv6Addresses', z],
  ['NetworkSettings.EndpointID', s], ['NetworkSettings.Gateway', s], ['NetworkSettings.GlobalIPv6Address', s],
  ['NetworkSettings.GlobalIPv6PrefixLen', n], ['NetworkSettings.IPAddress', s], ['NetworkSettings.IPPrefixLen', n],
  ['NetworkSettings.IPv6Gateway', s], ['NetworkSettings.MacAddress', s],
  ['NetworkSettings.Networks', o], ['NetworkSettings.Networks.*', o],
  ...(['IPAMConfig', 'Links', 'Aliases'] as const).map((k): [string, JsonType] => [`NetworkSettings.Networks.*.${k}`, z]),
  ['NetworkSettings.Networks.*.MacAddress', s], ['NetworkSettings.Networks.*.DriverOpts', z],
  ['NetworkSettings.Networks.*.GwPriority', n], ['NetworkSettings.Networks.*.NetworkID', s],
  ['NetworkSettings.Networks.*.EndpointID', s], ['NetworkSettings.Networks.*.Gateway', s],
  ['NetworkSettings.Networks.*.IPAddress', s], ['NetworkSettings.Networks.*.IPPrefixLen', n],
  ['NetworkSettings.Networks.*.IPv6Gateway', s], ['NetworkSettings.Networks.*.GlobalIPv6Address', s],
  ['NetworkSettings.Networks.*.GlobalIPv6PrefixLen', n], ['NetworkSettings.Networks.*.DNSNames', z],
];

/** `docker image inspect` of a one-layer image whose config has Env and Cmd (busybox). */
export const DOCKER_IMAGE_KEYS: Array<[string, JsonType]> = [
  ['Id', s], ['RepoTags', a], ['RepoDigests', a], ['Parent', s], ['Comment', s], ['Created', s],
  ['DockerVersion', s], ['Author', s], ['Config', o], ['Config.Env', a], ['Config.Cmd', a],
  ['Architecture', s], ['Os', s], ['Size', n],
  ['GraphDriver', o], ['GraphDriver.Data', o], ['GraphDriver.Data.MergedDir', s], ['GraphDriver.Data.UpperDir', s],
  ['GraphDriver.Data.WorkDir', s], ['GraphDriver.Name', s],
  ['RootFS', o], ['RootFS.Type', s], ['RootFS.Layers', a], ['Metadata', o], ['Metadata.LastTagTime', s],
];
