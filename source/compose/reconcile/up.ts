// compose up: make the store match the project — networks and volumes, images, then each
// service's containers in dependency order (waiting for started / healthy / completed as
// depends_on says), recreating only those whose config hash or image changed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineApi } from '../../engine/api.js';
import { ComposeError } from '../model/errors.js';
import { serviceImage } from '../model/normalize.js';
import type { ComposeProject, ComposeService } from '../model/types.js';
import { createOptions } from './create-options.js';
import { ensureImages, type ImageOptions } from './images.js';
import { checkInlineFiles, writeInlineFiles } from './inline-files.js';
import { COMPOSE_VERSION, configHash, LABEL } from './labels.js';
import { startOrder, dependencies } from './order.js';
import type { OnProgress } from './progress.js';
import { projectContainers, type ProjectContainer } from './project-containers.js';

export interface UpOptions extends ImageOptions {
  services?: string[]; // only these (and what they depend on, unless noDeps)
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  noStart?: boolean; // compose create
  removeOrphans?: boolean;
  scale?: Record<string, number>;
  wait?: boolean; // until running, and healthy where there is a check
  onWarning?: (message: string) => void;
}

const POLL_MS = 100;

/** The services `up` acts on: those named and, unless --no-deps, everything they need. */
export function selectServices(project: ComposeProject, names: string[] | undefined, noDeps = false): ComposeService[] {
  if (!names?.length) return project.services;
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const chosen = new Set<string>();
  const add = (name: string) => {
    const s = byName.get(name);
    if (!s) throw new ComposeError(`no such service: ${name}`);
    if (chosen.has(name)) return;
    chosen.add(name);
    if (!noDeps) for (const dep of dependencies(s)) if (byName.has(dep)) add(dep);
  };
  names.forEach(add);
  return project.services.filter((s) => chosen.has(s.name));
}

export async function ensureNetworks(engine: EngineApi, project: ComposeProject, services: ComposeService[], onProgress: OnProgress): Promise<void> {
  const used = new Set(services.flatMap((s) => Object.keys(s.networks)));
  const existing = new Set((await engine.listNetworks()).map((n) => n.name));
  for (const key of used) {
    const net = project.networks[key];
    if (existing.has(net.name)) continue;
    if (net.external) throw new ComposeError(`network ${net.name} declared as external, but could not be found`);
    onProgress({ kind: 'Network', name: net.name, action: 'Creating', done: false });
    await engine.createNetwork(net.name, {
      labels: { ...net.labels, [LABEL.project]: project.name, [LABEL.network]: key, [LABEL.version]: COMPOSE_VERSION },
      ...(net.subnet ? { subnet: net.subnet } : {}),
      ...(net.gateway ? { gateway: net.gateway } : {}),
    });
    onProgress({ kind: 'Network', name: net.name, action: 'Created', done: true });
  }
}

export async function ensureVolumes(engine: EngineApi, project: ComposeProject, services: ComposeService[], onProgress: OnProgress): Promise<void> {
  const used = new Set(services.flatMap((s) => s.volumes.filter((v) => v.type === 'volume' && v.source).map((v) => v.source!)));
  const existing = new Set((await engine.listVolumes()).map((v) => v.name));
  for (const key of used) {
    const vol = project.volumes[key];
    if (existing.has(vol.name)) continue;
    if (vol.external) throw new ComposeError(`external volume "${vol.name}" not found`);
    onProgress({ kind: 'Volume', name: vol.name, action: 'Creating', done: false });
    await engine.createVolume(vol.name, { ...vol.labels, [LABEL.project]: project.name, [LABEL.volume]: key, [LABEL.version]: COMPOSE_VERSION });
    onProgress({ kind: 'Volume', name: vol.name, action: 'Created', done: true });
  }
}

/** Waits until what `service` needs of each dependency holds (depends_on's condition). */
export async function waitForDependencies(engine: EngineApi, project: ComposeProject, service: ComposeService, onProgress: OnProgress): Promise<void> {
  for (const [dep, { condition, required }] of Object.entries(service.dependsOn)) {
    if (condition === 'service_started') continue; // started before this one, in order
    const containers = (await projectContainers(engine, project.name)).filter((c) => c.service === dep && !c.oneoff);
    if (containers.length === 0) {
      if (required) throw new ComposeError(`service "${service.name}" depends on "${dep}", which has no container`);
      continue;
    }
    for (const c of containers) {
      onProgress({ kind: 'Container', name: c.summary.name, action: 'Waiting', done: false });
      if (condition === 'service_healthy') await waitHealthy(engine, c.summary.id, c.summary.name);
      else {
        const code = await engine.waitContainer(c.summary.id);
        if (code !== 0) throw new ComposeError(`service "${dep}" didn't complete successfully: exit ${code}`);
      }
      onProgress({ kind: 'Container', name: c.summary.name, action: condition === 'service_healthy' ? 'Healthy' : 'Exited', done: true });
    }
  }
}

async function waitHealthy(engine: EngineApi, id: string, name: string): Promise<void> {
  for (;;) {
    const r = await engine.inspectContainer(id);
    if (!r.healthcheck || r.healthcheck.Test[0] === 'NONE') throw new ComposeError(`container ${name} has no healthcheck configured`);
    if (r.state.health?.status === 'healthy') return;
    if (r.state.health?.status === 'unhealthy') throw new ComposeError(`dependency failed to start: container ${name} is unhealthy`);
    if (!r.state.running && r.state.status !== 'restarting') throw new ComposeError(`dependency failed to start: container ${name} exited (${r.state.exitCode})`);
    await sleep(POLL_MS);
  }
}

async function removeContainer(engine: EngineApi, c: ProjectContainer, onProgress: OnProgress, timeout?: number): Promise<void> {
  if (c.summary.status === 'running' || c.summary.status === 'paused' || c.summary.status === 'restarting') {
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Stopping', done: false });
    await engine.stopContainer(c.summary.id, timeout);
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Stopped', done: true });
  }
  onProgress({ kind: 'Container', name: c.summary.name, action: 'Removing', done: false });
  await engine.removeContainer(c.summary.id, true);
  onProgress({ kind: 'Container', name: c.summary.name, action: 'Removed', done: true });
}

/** network_mode service:X: the id of the container whose namespace the service's containers join now (recreated owner, stale joiners). */
async function sharedNamespaceOwner(engine: EngineApi, project: ComposeProject, service: ComposeService): Promise<string | undefined> {
  if (!service.networkMode?.startsWith('service:')) return undefined;
  const name = service.networkMode.slice('service:'.length);
  const owner = (await projectContainers(engine, project.name)).find((c) => c.service === name && c.number === 1 && !c.oneoff);
  return owner?.summary.id;
}

async function reconcileService(engine: EngineApi, project: ComposeProject, service: ComposeService, current: ProjectContainer[], options: UpOptions, onProgress: OnProgress): Promise<void> {
  const want = options.scale?.[service.name] ?? service.scale;
  if (service.containerName && want > 1) throw new ComposeError(`service "${service.name}" has container_name "${service.containerName}" and cannot be scaled to ${want}`);
  const imageId = (await engine.inspectImage(serviceImage(project.name, service))).id;
  const hash = configHash(service);
  const mine = current.filter((c) => c.service === service.name && !c.oneoff);
  // Beyond the wanted count: the highest numbers go first, as docker compose scales down.
  for (const c of mine.slice(want).reverse()) await removeContainer(engine, c, onProgress, service.stopGracePeriodSeconds);
  const keep = mine.slice(0, want);
  const start = async (id: string, name: string) => {
    if (options.noStart) return;
    onProgress({ kind: 'Container', name, action: 'Starting', done: false });
    await engine.startContainer(id);
    onProgress({ kind: 'Container', name, action: 'Started', done: true });
  };
  const owner = await sharedNamespaceOwner(engine, project, service);
  for (const c of keep) {
    const stale = c.summary.labels?.[LABEL.configHash] !== hash || c.summary.labels?.[LABEL.image] !== imageId
      || (owner !== undefined && (await engine.inspectContainer(c.summary.id)).hostConfig.network !== `container:${owner}`);
    if (options.forceRecreate || (stale && !options.noRecreate)) {
      onProgress({ kind: 'Container', name: c.summary.name, action: 'Recreate', done: false });
      await removeContainer(engine, c, () => undefined, service.stopGracePeriodSeconds);
      const record = await engine.createContainer(createOptions(project, service, c.number, imageId));
      await writeInlineFiles(engine, record.id, service);
      onProgress({ kind: 'Container', name: record.name, action: 'Recreated', done: true });
      await start(record.id, record.name);
    } else if (c.summary.status === 'running') {
      onProgress({ kind: 'Container', name: c.summary.name, action: 'Running', done: true });
    } else if (c.summary.status === 'paused') {
      await engine.unpauseContainer(c.summary.id);
      onProgress({ kind: 'Container', name: c.summary.name, action: 'Unpaused', done: true });
    } else {
      await start(c.summary.id, c.summary.name);
    }
  }
  const used = new Set(keep.map((c) => c.number));
  for (let number = 1; used.size < want; number++) {
    if (used.has(number)) continue;
    used.add(number);
    const opts = createOptions(project, service, number, imageId);
    onProgress({ kind: 'Container', name: opts.name!, action: 'Creating', done: false });
    const record = await engine.createContainer(opts);
    await writeInlineFiles(engine, record.id, service);
    onProgress({ kind: 'Container', name: record.name, action: 'Created', done: true });
    await start(record.id, record.name);
  }
}

async function waitRunning(engine: EngineApi, project: ComposeProject, services: ComposeService[], onProgress: OnProgress): Promise<void> {
  const names = new Set(services.map((s) => s.name));
  for (const c of (await projectContainers(engine, project.name)).filter((x) => names.has(x.service) && !x.oneoff)) {
    const r = await engine.inspectContainer(c.summary.id);
    if (r.healthcheck && r.healthcheck.Test[0] !== 'NONE') await waitHealthy(engine, c.summary.id, c.summary.name);
    else if (!r.state.running) throw new ComposeError(`container ${c.summary.name} exited (${r.state.exitCode})`);
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Healthy', done: true });
  }
}

export async function up(engine: EngineApi, project: ComposeProject, options: UpOptions, onProgress: OnProgress): Promise<void> {
  const services = selectServices(project, options.services, options.noDeps);
  checkInlineFiles(services);
  for (const [name, n] of Object.entries(options.scale ?? {})) {
    if (!project.services.some((s) => s.name === name)) throw new ComposeError(`no such service: ${name}`);
    if (!Number.isInteger(n) || n < 0) throw new ComposeError(`invalid scale for ${name}: ${n}`);
  }
  await ensureImages(engine, project, services, options, onProgress);
  await ensureNetworks(engine, project, services, onProgress);
  await ensureVolumes(engine, project, services, onProgress);

  const current = await projectContainers(engine, project.name);
  const known = new Set([...project.services.map((s) => s.name), ...project.disabled]);
  const orphans = current.filter((c) => !known.has(c.service) && !c.oneoff);
  if (orphans.length > 0) {
    if (options.removeOrphans) for (const c of orphans) await removeContainer(engine, c, onProgress);
    else options.onWarning?.(`Found orphan containers ([${orphans.map((c) => c.summary.name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  }
  for (const service of startOrder(services)) {
    if (!options.noStart) await waitForDependencies(engine, project, service, onProgress);
    await reconcileService(engine, project, service, current, options, onProgress);
  }
  if (options.wait) await waitRunning(engine, project, services, onProgress);
}
