// /volumes: list, create, inspect, remove, prune.
import { filters, flag, jsonBody } from '../call.js';
import { volumeInspectShape } from '../../engine/docker-shape/network-shape.js';
import { badRequest } from '../errors.js';
import type { Routes } from '../router.js';

export function registerVolumes(r: Routes): void {
  r.on('GET', '/volumes', async (call) => {
    const f = filters(call);
    const volumes = (await call.engine.listVolumes())
      .filter((v) => !f.name || f.name.some((n) => v.name.includes(n)))
      .filter((v) => !f.label || f.label.every((l) => {
        const [k, ...val] = l.split('=');
        return val.length ? v.labels[k] === val.join('=') : k in v.labels;
      }));
    return { Volumes: volumes.map(volumeInspectShape), Warnings: [] };
  });
  r.on('POST', '/volumes/create', async (call) => {
    const body = await jsonBody<{ Name?: string; Driver?: string; Labels?: Record<string, string> | null }>(call);
    if (body.Driver && body.Driver !== 'local') throw badRequest(`plugin "${body.Driver}" not found: strata has the local volume driver only`);
    const volume = await call.engine.createVolume(body.Name || undefined, body.Labels ?? undefined);
    call.reply.json(201, volumeInspectShape(volume));
  });
  r.on('GET', '/volumes/:name', async (call) => volumeInspectShape(await call.engine.inspectVolume(call.params.name)));
  r.on('DELETE', '/volumes/:name', async (call) => { await call.engine.removeVolume(call.params.name, flag(call, 'force')); });
  r.on('POST', '/volumes/prune', async (call) => {
    const { removed, reclaimedBytes } = await call.engine.pruneVolumes();
    return { VolumesDeleted: removed, SpaceReclaimed: reclaimedBytes };
  });
}
