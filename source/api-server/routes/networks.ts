// /networks: list, inspect, create, remove, connect, disconnect, prune.
import { filters, jsonBody } from '../call.js';
import { networkInspectShape } from '../../engine/docker-shape/network-shape.js';
import type { NetworkCreateOptions, NetworkRecord } from '../../engine/api.js';
import { badRequest, conflict } from '../errors.js';
import type { Routes } from '../router.js';

export function registerNetworks(r: Routes): void {
  r.on('GET', '/networks', async (call) => {
    const f = filters(call);
    return (await call.engine.listNetworks()).filter((n) => matches(n, f)).map((n) => networkInspectShape(n, []));
  });
  r.on('GET', '/networks/:id', async (call) => {
    const { network, containers } = await call.engine.inspectNetwork(call.params.id);
    return networkInspectShape(network, containers);
  });
  r.on('POST', '/networks/create', async (call) => {
    const body = await jsonBody<{ Name?: string; Driver?: string; IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> }; Labels?: Record<string, string> }>(call);
    if (!body.Name) throw badRequest('network name must not be empty');
    if (body.Driver && body.Driver !== 'bridge') throw badRequest(`plugin "${body.Driver}" not found: strata makes bridge networks only`);
    if ((await call.engine.listNetworks()).some((n) => n.name === body.Name)) throw conflict(`network with name ${body.Name} already exists`);
    const opts: NetworkCreateOptions = {};
    const ipam = body.IPAM?.Config?.[0];
    if (ipam?.Subnet) opts.subnet = ipam.Subnet;
    if (ipam?.Gateway) opts.gateway = ipam.Gateway;
    if (body.Labels && Object.keys(body.Labels).length) opts.labels = body.Labels;
    const network = await call.engine.createNetwork(body.Name, opts);
    call.reply.json(201, { Id: network.id, Warning: '' });
  });
  r.on('DELETE', '/networks/:id', async (call) => { await call.engine.removeNetwork(call.params.id); });
  r.on('POST', '/networks/:id/connect', async (call) => {
    const body = await jsonBody<{ Container?: string; EndpointConfig?: { Aliases?: string[] | null } }>(call);
    if (!body.Container) throw badRequest('Container must be given');
    const aliases = body.EndpointConfig?.Aliases ?? [];
    await call.engine.connectNetwork(call.params.id, body.Container, aliases.length ? { aliases } : undefined);
    call.reply.empty(200);
  });
  r.on('POST', '/networks/:id/disconnect', async (call) => {
    const body = await jsonBody<{ Container?: string }>(call);
    if (!body.Container) throw badRequest('Container must be given');
    await call.engine.disconnectNetwork(call.params.id, body.Container);
    call.reply.empty(200);
  });
  r.on('POST', '/networks/prune', async (call) => ({ NetworksDeleted: await call.engine.pruneNetworks() }));
}

function matches(n: NetworkRecord, f: Record<string, string[]>): boolean {
  if (f.name && !f.name.some((x) => n.name.includes(x))) return false;
  if (f.id && !f.id.some((x) => n.id.startsWith(x))) return false;
  if (f.driver && !f.driver.includes(n.driver)) return false;
  if (f.type && !f.type.includes(n.builtin ? 'builtin' : 'custom')) return false;
  if (f.label && !f.label.every((l) => {
    const [k, ...v] = l.split('=');
    return v.length ? n.labels[k] === v.join('=') : k in n.labels;
  })) return false;
  return true;
}

