// Networking and storage in docker's inspect shapes: a container's NetworkSettings and
// Mounts, `network inspect` and `volume inspect` objects.
import type { ContainerRecord, EndpointConfig, NetworkAttachment, NetworkRecord, PublishedPort, VolumeRecord } from '../api.js';
import { attachmentsOf, endpointsOf, networkNamesOf } from './container-networks.js';

type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

function portMap(exposed: string[], published: PublishedPort[]): PortMap {
  const out: PortMap = {};
  for (const e of exposed) out[e] = null;
  for (const p of published) (out[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  return out;
}

// docker 28's EndpointSettings for one network a container is on (its zero values when stopped).
function endpointShape(c: ContainerRecord, name: string, ep: EndpointConfig | undefined, n: NetworkAttachment | undefined) {
  const userDefined = !['bridge', 'host', 'none'].includes(name);
  return {
    IPAMConfig: ep?.ipv4Address ? { IPv4Address: ep.ipv4Address } : null,
    Links: null,
    Aliases: ep?.aliases?.length ? ep.aliases : null,
    MacAddress: n?.macAddress ?? '',
    DriverOpts: null,
    GwPriority: 0,
    NetworkID: n?.networkId ?? '',
    EndpointID: '',
    Gateway: n?.gateway ?? '',
    IPAddress: n?.ipAddress ?? '',
    IPPrefixLen: n?.prefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    // docker's embedded DNS answers these names on user-defined networks only
    DNSNames: userDefined ? [c.name, c.id.slice(0, 12), ...(ep?.aliases ?? [])] : null,
  };
}

export function containerNetworkShape(c: ContainerRecord) {
  const n = c.networkSettings;
  const attachments = attachmentsOf(c);
  const endpoints = endpointsOf(c);
  const networks = Object.fromEntries(networkNamesOf(c).map((name) => [name, endpointShape(c, name, endpoints.find((e) => e.network === name), attachments.find((a) => a.network === name))]));
  const binds = (c.mounts ?? []).filter((m) => m.type !== 'tmpfs').map((m) => `${m.name ?? m.source}:${m.destination}${m.rw ? '' : ':ro'}`);
  return {
    HostConfig: {
      PortBindings: Object.fromEntries((c.ports ?? []).map((p) => [`${p.containerPort}/${p.protocol}`, [{ HostIp: p.hostIp ?? '', HostPort: p.hostPort ? String(p.hostPort) : '' }]])),
      PublishAllPorts: !!c.publishAll,
      ExtraHosts: c.extraHosts?.length ? c.extraHosts : null,
      Dns: c.dns ?? [],
      Binds: binds.length ? binds : null,
    },
    ExposedPorts: Object.fromEntries((c.exposedPorts ?? []).map((e) => [e, {}])),
    NetworkSettings: {
      Bridge: n?.bridge ?? '',
      SandboxID: '',
      SandboxKey: n?.sandboxKey ?? '',
      Ports: portMap(c.exposedPorts ?? [], n?.ports ?? []),
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: '',
      Gateway: n?.gateway ?? '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: n?.ipAddress ?? '',
      IPPrefixLen: n?.prefixLen ?? 0,
      IPv6Gateway: '',
      MacAddress: n?.macAddress ?? '',
      Networks: networks,
    },
    Mounts: (c.mounts ?? []).map((m) => ({
      Type: m.type,
      ...(m.name ? { Name: m.name } : {}),
      Source: m.source,
      Destination: m.destination,
      ...(m.type === 'volume' ? { Driver: 'local' } : {}),
      Mode: m.type === 'bind' ? (m.rw ? '' : 'ro') : m.type === 'volume' ? 'z' : '',
      RW: m.rw,
      Propagation: m.type === 'bind' ? 'rprivate' : '',
    })),
  };
}

export function networkInspectShape(n: NetworkRecord, containers: Array<{ id: string; name: string; ipAddress: string; macAddress: string }>) {
  const prefix = n.subnet.split('/')[1];
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: n.subnet ? [{ Subnet: n.subnet, Gateway: n.gateway }] : [] },
    Internal: false,
    Attachable: false,
    Containers: Object.fromEntries(containers.map((c) => [c.id, { Name: c.name, MacAddress: c.macAddress, IPv4Address: c.ipAddress ? `${c.ipAddress}/${prefix}` : '', IPv6Address: '' }])),
    Options: {
      ...(n.bridge ? { 'com.docker.network.bridge.name': n.bridge } : {}),
      ...(n.subnetReason ? { 'io.strata.subnet.reason': n.subnetReason } : {}),
    },
    Labels: n.labels,
  };
}

export function volumeInspectShape(v: VolumeRecord) {
  return { CreatedAt: v.created, Driver: v.driver, Labels: v.labels, Mountpoint: v.mountpoint, Name: v.name, Options: null, Scope: 'local' };
}

/** docker ps's PORTS: "0.0.0.0:8080->80/tcp, 0.0.0.0:8443->443/tcp". */
export function psPorts(ports: PublishedPort[] | undefined): string {
  if (!ports?.length) return '';
  return ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}
