// What the engine is asked to create for container N of a service: the service's settings in
// the engine's terms, the project's names for networks and volumes, and compose's labels.
import fs from 'node:fs';
import type { CreateOptions, EndpointConfig, MountRequest, PortMapping } from '../../engine/api.js';
import { parseRamBytes } from '../../engine/format/size.js';
import { ComposeError } from '../model/errors.js';
import { serviceImage } from '../model/normalize.js';
import type { ComposeProject, ComposeService } from '../model/types.js';
import { containerLabels, containerName } from './labels.js';

function mounts(project: ComposeProject, service: ComposeService): MountRequest[] {
  const out: MountRequest[] = service.volumes.map((v): MountRequest => {
    if (v.type === 'volume') return { type: 'volume', ...(v.source ? { source: project.volumes[v.source].name } : {}), target: v.target, readOnly: !!v.read_only };
    if (v.type === 'tmpfs') {
      const size = v.tmpfs?.size;
      return { type: 'tmpfs', target: v.target, ...(size !== undefined ? { tmpfsSizeBytes: typeof size === 'number' ? size : parseRamBytes(String(size), 'tmpfs.size') } : {}), ...(v.tmpfs?.mode !== undefined ? { tmpfsMode: v.tmpfs.mode } : {}) };
    }
    // docker compose makes a missing bind source directory, unless told not to.
    if (v.source && !fs.existsSync(v.source)) {
      if (v.bind?.create_host_path === false) throw new ComposeError(`service "${service.name}": bind source ${v.source} does not exist`);
      fs.mkdirSync(v.source, { recursive: true });
    }
    return { type: 'bind', source: v.source, target: v.target, readOnly: !!v.read_only };
  });
  for (const entry of service.tmpfs) {
    const [target, options = ''] = entry.split(':');
    const size = /(?:^|,)size=([^,]+)/.exec(options)?.[1];
    out.push({ type: 'tmpfs', target, ...(size ? { tmpfsSizeBytes: parseRamBytes(size, 'tmpfs size') } : {}) });
  }
  for (const file of [...service.secrets, ...service.configs]) {
    if (file.file === undefined) continue; // written into the container (inline-files.ts)
    if (!fs.existsSync(file.file)) throw new ComposeError(`service "${service.name}": ${file.source}: file ${file.file} not found`);
    out.push({ type: 'bind', source: file.file, target: file.target, readOnly: true });
  }
  return out;
}

function ports(service: ComposeService): PortMapping[] {
  return service.ports.map((p) => ({
    containerPort: p.target,
    protocol: p.protocol,
    ...(p.host_ip ? { hostIp: p.host_ip } : {}),
    ...(p.published !== undefined && p.published !== '' ? { hostPort: Number(p.published) } : {}),
  }));
}

/**
 * The engine networks a service's containers join, and their names on each: the service's name
 * and that network's aliases, as docker compose gives them. The first by compose's order
 * (priority, highest first, then name) gives the default route; the others follow as eth1….
 */
function networks(project: ComposeProject, service: ComposeService): Pick<CreateOptions, 'network' | 'networkAliases' | 'ipAddress' | 'moreNetworks'> {
  if (service.networkMode !== undefined) {
    const mode = service.networkMode;
    if (mode === 'none' || mode === 'host' || mode === 'bridge' || mode.startsWith('container:')) return { network: mode };
    if (mode.startsWith('service:')) {
      // the first container of that service, started before this one (order.ts)
      const other = project.services.find((s) => s.name === mode.slice('service:'.length));
      if (!other) throw new ComposeError(`service "${service.name}": network_mode ${mode}: no such service`);
      return { network: `container:${containerName(project, other, 1)}` };
    }
    throw new ComposeError(`service "${service.name}": invalid network_mode "${mode}" (none, host, bridge, service:NAME or container:NAME)`);
  }
  const keys = Object.keys(service.networks).sort((a, b) => (service.networks[b].priority ?? 0) - (service.networks[a].priority ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const endpoints: EndpointConfig[] = keys.map((key) => {
    const own = service.networks[key];
    return { network: project.networks[key].name, aliases: [service.name, ...own.aliases], ...(own.ipv4Address ? { ipv4Address: own.ipv4Address } : {}) };
  });
  const [first, ...more] = endpoints;
  return {
    network: first.network,
    networkAliases: first.aliases,
    ...(first.ipv4Address ? { ipAddress: first.ipv4Address } : {}),
    ...(more.length ? { moreNetworks: more } : {}),
  };
}

export function createOptions(project: ComposeProject, service: ComposeService, number: number, imageId: string): CreateOptions {
  return {
    image: serviceImage(project.name, service),
    name: containerName(project, service, number),
    ...(service.command ? { cmd: service.command } : {}),
    ...(service.entrypoint ? { entrypoint: service.entrypoint } : {}),
    env: Object.entries(service.environment).map(([k, v]) => `${k}=${v}`),
    ...(service.workingDir ? { workdir: service.workingDir } : {}),
    ...(service.user !== undefined ? { user: service.user } : {}),
    ...(service.hostname ? { hostname: service.hostname } : {}),
    ...(service.domainname ? { domainname: service.domainname } : {}),
    tty: service.tty,
    openStdin: service.stdinOpen,
    limits: service.limits,
    privileged: service.privileged,
    capAdd: service.capAdd,
    capDrop: service.capDrop,
    securityOpt: service.securityOpt,
    readOnly: service.readOnly,
    init: service.init,
    labels: containerLabels(project, service, number, imageId),
    ...(service.stopSignal ? { stopSignal: service.stopSignal } : {}),
    ...(service.stopGracePeriodSeconds !== undefined ? { stopTimeout: service.stopGracePeriodSeconds } : {}),
    ...networks(project, service),
    ports: ports(service),
    exposedPorts: service.expose.map((e) => (e.includes('/') ? e : `${e}/tcp`)),
    extraHosts: service.extraHosts,
    dns: service.dns,
    mounts: mounts(project, service),
    ...(service.restart ? { restartPolicy: service.restart } : {}),
    ...(service.healthcheck ? { healthcheck: service.healthcheck } : {}),
  };
}
