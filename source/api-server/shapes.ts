// The Docker API's own list shapes (what /containers/json, /images/json and /system/df return),
// where they differ from the CLI's rows in engine/docker-shape/; inspect shapes come from there.
import type { ContainerRecord, ContainerSummary, ImageSummary } from '../engine/api.js';
import { containerNetworkShape } from '../engine/docker-shape/network-shape.js';

export const unixSeconds = (iso: string) => (iso ? Math.floor(new Date(iso).getTime() / 1000) : 0);

/**
 * One container of /containers/json. Its networks and mounts come from the record, as inspect
 * words them: every network the record is on, keyed by name; NetworkMode is the network the
 * container was created on (bridge, host, none or a user network's name), as docker's list has it.
 */
export function containerListShape(c: ContainerSummary, record?: ContainerRecord) {
  const net = record ? containerNetworkShape(record) : undefined;
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: c.imageId,
    Command: c.command,
    Created: unixSeconds(c.created),
    Ports: (c.ports ?? []).map((p) => ({ IP: p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol })),
    Labels: c.labels ?? {},
    State: c.status,
    Status: c.statusText,
    HostConfig: { NetworkMode: record ? networkMode(record) : 'bridge' },
    NetworkSettings: { Networks: net?.NetworkSettings.Networks ?? {} },
    Mounts: net?.Mounts ?? [],
  };
}

export const networkMode = (r: ContainerRecord) => (r.hostConfig.network === 'private' ? 'bridge' : r.hostConfig.network);

export function imageListShape(i: ImageSummary, containers = -1) {
  return {
    Id: i.id,
    ParentId: '',
    RepoTags: i.repoTags,
    RepoDigests: i.repoDigests,
    Created: unixSeconds(i.created),
    Size: i.size,
    SharedSize: -1,
    VirtualSize: i.size,
    Labels: {},
    Containers: containers,
  };
}
