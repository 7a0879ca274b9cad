// `inspect` of an image with the keys docker 28 (API 1.48) prints, in docker's order: the config
// as an OCI image config (empty fields left out, as docker does since API 1.47).
import type { ImageRecord } from '../api.js';

export function imageInspect(i: ImageRecord, root: string) {
  const c = i.config;
  const dirs = i.chainIds.map((chain) => `${root}/layers/${chain.replace(/^sha256:/, '')}`).reverse();
  const [top, ...lower] = dirs;
  return {
    Id: i.id,
    RepoTags: i.repoTags,
    RepoDigests: i.repoDigests,
    Parent: '',
    Comment: i.comment ?? '',
    Created: i.created,
    DockerVersion: '',
    Author: i.author ?? '',
    Config: {
      ...(c.User ? { User: c.User } : {}),
      ...(c.ExposedPorts && Object.keys(c.ExposedPorts).length ? { ExposedPorts: c.ExposedPorts } : {}),
      ...(c.Env?.length ? { Env: c.Env } : {}),
      ...(c.Entrypoint?.length ? { Entrypoint: c.Entrypoint } : {}),
      ...(c.Cmd?.length ? { Cmd: c.Cmd } : {}),
      ...(c.Volumes && Object.keys(c.Volumes).length ? { Volumes: c.Volumes } : {}),
      ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
      ...(c.Labels && Object.keys(c.Labels).length ? { Labels: c.Labels } : {}),
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
      ...(c.OnBuild?.length ? { OnBuild: c.OnBuild } : {}),
      ...(c.Shell?.length ? { Shell: c.Shell } : {}),
    },
    Architecture: i.architecture,
    Os: i.os,
    Size: i.size,
    // docker's overlay2 names the top layer's dirs and the ones below it
    GraphDriver: {
      Data: top === undefined ? null : {
        ...(lower.length ? { LowerDir: lower.map((d) => `${d}/diff`).join(':') } : {}),
        MergedDir: `${top}/merged`,
        UpperDir: `${top}/diff`,
        WorkDir: `${top}/work`,
      },
      Name: 'overlay2',
    },
    RootFS: { Type: 'layers', Layers: i.diffIds },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}
