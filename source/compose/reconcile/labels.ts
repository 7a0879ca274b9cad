// docker compose's labels and names, so a docker compose user finds what they know and a second
// `up` can tell which containers belong to which service and whether their config changed.
import crypto from 'node:crypto';
import type { ComposeProject, ComposeService } from '../model/types.js';

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  slug: 'com.docker.compose.slug',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  version: 'com.docker.compose.version',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
} as const;

// The compose version strata's labels claim: the Compose Specification's, not a docker compose release.
export const COMPOSE_VERSION = '2.0.0-strata';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  return value;
}

/** What decides whether a service's containers must be recreated: its whole config but scale. */
export function configHash(service: ComposeService): string {
  const { scale: _scale, profiles: _profiles, dependsOn, ...rest } = service;
  // Conditions of depends_on change only the order of start, not a container.
  const shape = { ...rest, dependsOn: Object.keys(dependsOn).sort() };
  return crypto.createHash('sha256').update(JSON.stringify(stable(shape))).digest('hex');
}

export function containerName(project: ComposeProject, service: ComposeService, number: number): string {
  return service.containerName ?? `${project.name}-${service.name}-${number}`;
}

export function containerLabels(project: ComposeProject, service: ComposeService, number: number, imageId: string): Record<string, string> {
  return {
    ...service.labels,
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.number]: String(number),
    [LABEL.oneoff]: 'False',
    [LABEL.configHash]: configHash(service),
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.files.join(','),
    [LABEL.version]: COMPOSE_VERSION,
    [LABEL.dependsOn]: Object.entries(service.dependsOn).map(([name, d]) => `${name}:${d.condition}:${d.restart}`).join(','),
    [LABEL.image]: imageId,
  };
}
