// The Docker API's own list shapes (what /containers/json, /images/json and /system/df return),
// where they differ from the CLI's rows in engine/docker-shape/; inspect shapes come from there.
import type { ContainerSummary, ImageSummary } from '../engine/api.js';

export const unixSeconds = (iso: string) => (iso ? Math.floor(new Date(iso).getTime() / 1000) : 0);

export function containerListShape(c: ContainerSummary) {
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
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

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
