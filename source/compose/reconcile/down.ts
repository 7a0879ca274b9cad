// compose down: the project's containers stopped and removed (dependents first), then its
// networks, and with -v its named volumes, with --rmi its images. External ones stay.
import type { EngineApi } from '../../engine/api.js';
import { serviceImage } from '../model/normalize.js';
import type { ComposeProject } from '../model/types.js';
import { startOrder } from './order.js';
import type { OnProgress } from './progress.js';
import { projectContainers } from './project-containers.js';

export interface DownOptions {
  volumes?: boolean; // -v
  rmi?: 'local' | 'all';
  removeOrphans?: boolean;
  timeoutSeconds?: number;
}

export async function down(engine: EngineApi, project: ComposeProject, options: DownOptions, onProgress: OnProgress): Promise<void> {
  const containers = await projectContainers(engine, project.name);
  const order = startOrder(project.services).map((s) => s.name).reverse();
  const rank = (service: string) => {
    const i = order.indexOf(service);
    return i < 0 ? -1 : i;
  };
  const known = new Set([...project.services.map((s) => s.name), ...project.disabled]);
  const doomed = containers.filter((c) => known.has(c.service) || c.oneoff || options.removeOrphans).sort((a, b) => rank(a.service) - rank(b.service));
  // Stop all first (in order), then remove: a dependent never outlives what it needs.
  for (const c of doomed) {
    if (c.summary.status !== 'running' && c.summary.status !== 'paused' && c.summary.status !== 'restarting') continue;
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Stopping', done: false });
    const service = project.services.find((s) => s.name === c.service);
    await engine.stopContainer(c.summary.id, options.timeoutSeconds ?? service?.stopGracePeriodSeconds);
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Stopped', done: true });
  }
  for (const c of doomed) {
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Removing', done: false });
    await engine.removeContainer(c.summary.id, true, options.volumes);
    onProgress({ kind: 'Container', name: c.summary.name, action: 'Removed', done: true });
  }
  const networks = new Set((await engine.listNetworks()).map((n) => n.name));
  for (const net of Object.values(project.networks)) {
    if (net.external || !networks.has(net.name)) continue;
    onProgress({ kind: 'Network', name: net.name, action: 'Removing', done: false });
    await engine.removeNetwork(net.name);
    onProgress({ kind: 'Network', name: net.name, action: 'Removed', done: true });
  }
  if (options.volumes) {
    const volumes = new Set((await engine.listVolumes()).map((v) => v.name));
    for (const vol of Object.values(project.volumes)) {
      if (vol.external || !volumes.has(vol.name)) continue;
      onProgress({ kind: 'Volume', name: vol.name, action: 'Removing', done: false });
      await engine.removeVolume(vol.name);
      onProgress({ kind: 'Volume', name: vol.name, action: 'Removed', done: true });
    }
  }
  if (options.rmi) {
    // local: the images built for services without an image name of their own.
    const images = new Set(project.services.filter((s) => options.rmi === 'all' || !s.image).map((s) => serviceImage(project.name, s)));
    for (const image of images) {
      try {
        await engine.removeImage(image);
        onProgress({ kind: 'Image', name: image, action: 'Removed', done: true });
      } catch {
        // not there, or used by a container outside the project: docker compose leaves it too
      }
    }
  }
}
