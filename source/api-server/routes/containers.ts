// /containers: list, create, inspect, start/stop/restart/kill/pause/unpause, rename, top,
// remove, prune, changes, export. The attached I/O (attach, logs, wait, resize) is in
// container-io.ts; stats in stats.ts.
import type { ContainerLimits, ContainerPruneFilters, ContainerSummary, EngineApi, RestartPolicy, UpdateOptions } from '../../engine/api.js';
import { containerInspect } from '../../engine/docker-shape/container-inspect.js';
import { type Call, filters, flag, int, jsonBody } from '../call.js';
import { createOptions, type DockerCreateBody } from '../container-create.js';
import { badRequest, conflict } from '../errors.js';
import type { Routes } from '../router.js';
import { containerListShape } from '../shapes.js';
import { registerContainerIo, startWithPendingAttach } from './container-io.js';
import { registerStats } from './stats.js';

export function registerContainers(r: Routes): void {
  r.on('GET', '/containers/json', listContainers);
  r.on('POST', '/containers/create', async (call) => {
    const body = await jsonBody<DockerCreateBody>(call);
    const record = await call.engine.createContainer(createOptions(body, call.query.get('name')));
    const size = body.HostConfig?.ConsoleSize;
    if (size && size[0] > 0 && size[1] > 0) call.state.consoleSizes.set(record.id, { rows: size[0], cols: size[1] });
    call.reply.json(201, { Id: record.id, Warnings: [] });
  });
  r.on('GET', '/containers/:id/json', async (call) => inspect(call.engine, call.params.id));
  r.on('POST', '/containers/:id/start', async (call) => {
    const record = await call.engine.inspectContainer(call.params.id);
    if (record.state.running) return call.reply.empty(304);
    await startWithPendingAttach(call, record.id, record.hostConfig.autoRemove);
  });
  r.on('POST', '/containers/:id/stop', async (call) => {
    const record = await call.engine.inspectContainer(call.params.id);
    if (!record.state.running) return call.reply.empty(304);
    await call.engine.stopContainer(record.id, int(call, 't') ?? int(call, 'timeout'), call.query.get('signal') || undefined);
  });
  r.on('POST', '/containers/:id/restart', async (call) => {
    await call.engine.restartContainer(call.params.id, int(call, 't') ?? int(call, 'timeout'), call.query.get('signal') || undefined);
  });
  r.on('POST', '/containers/:id/kill', async (call) => {
    const record = await call.engine.inspectContainer(call.params.id);
    if (!record.state.running) throw conflict(`cannot kill container: ${call.params.id}: container ${record.id} is not running`);
    await call.engine.killContainer(record.id, call.query.get('signal') || undefined);
  });
  r.on('POST', '/containers/:id/pause', async (call) => call.engine.pauseContainer(call.params.id).then(() => undefined));
  r.on('POST', '/containers/:id/unpause', async (call) => call.engine.unpauseContainer(call.params.id).then(() => undefined));
  r.on('POST', '/containers/:id/rename', async (call) => {
    const name = call.query.get('name');
    if (!name) throw badRequest('Error when allocating new name: name is empty');
    await call.engine.renameContainer(call.params.id, name.replace(/^\//, ''));
  });
  r.on('GET', '/containers/:id/top', async (call) => {
    const psArgs = call.query.get('ps_args');
    if (psArgs) {
      const { titles, processes } = await call.engine.topWithPs(call.params.id, psArgs.split(/\s+/).filter(Boolean));
      return { Titles: titles, Processes: processes };
    }
    const rows = await call.engine.top(call.params.id);
    return { Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: rows.map((p) => [p.uid, String(p.pid), String(p.ppid), String(p.c), p.stime, p.tty, p.time, p.cmd]) };
  });
  r.on('DELETE', '/containers/:id', async (call) => {
    await call.engine.removeContainer(call.params.id, flag(call, 'force'), flag(call, 'v'));
  });
  r.on('POST', '/containers/prune', async (call) => {
    const f = filters(call);
    const pruneFilters: ContainerPruneFilters = {};
    if (f.until?.[0]) pruneFilters.until = parseUntil(f.until[0]);
    if (f.label) pruneFilters.label = f.label;
    if (f['label!']) pruneFilters.labelNot = f['label!'];
    const { deleted, spaceReclaimed } = await call.engine.pruneContainers(pruneFilters);
    return { ContainersDeleted: deleted, SpaceReclaimed: spaceReclaimed };
  });
  r.on('GET', '/containers/:id/changes', async (call) => {
    const changes = await call.engine.diffContainer(call.params.id);
    return changes.map((c) => ({ Path: c.path, Kind: c.kind === 'C' ? 0 : c.kind === 'A' ? 1 : 2 }));
  });
  r.on('GET', '/containers/:id/export', async (call) => {
    await call.engine.inspectContainer(call.params.id);
    const out = call.reply.stream(200, 'application/x-tar');
    await call.engine.exportContainer(call.params.id, out);
    out.end();
  });
  r.on('POST', '/containers/:id/update', async (call) => {
    const body = await jsonBody<DockerUpdateBody>(call);
    const { warnings } = await call.engine.updateContainer(call.params.id, updateOptions(body));
    return { Warnings: warnings };
  });
  registerContainerIo(r);
  registerStats(r);
}

async function inspect(engine: EngineApi, ref: string) {
  const record = await engine.inspectContainer(ref);
  const imageChainIds = await engine.inspectImage(record.config.imageId).then((i) => i.chainIds, () => undefined);
  return containerInspect(record, { root: engine.options.root, imageChainIds });
}

async function listContainers(call: Call) {
  const f = filters(call);
  const all = flag(call, 'all') || Boolean(f.status?.length || f.exited?.length);
  let list = (await call.engine.listContainers(all)).filter((c) => matches(c, f));
  const limit = int(call, 'limit');
  if (limit !== undefined && limit > 0) list = list.slice(0, limit);
  // a container removed between the listing and its record is left out, as if listed a moment later
  const shaped = list.map((c) => call.engine.inspectContainer(c.id).then((record) => containerListShape(c, record), () => undefined));
  return (await Promise.all(shaped)).filter((c) => c !== undefined);
}

function matches(c: ContainerSummary, f: Record<string, string[]>): boolean {
  const labels = c.labels ?? {};
  if (f.id && !f.id.some((id) => c.id.startsWith(id))) return false;
  if (f.name && !f.name.some((n) => new RegExp(n.replace(/^\//, '')).test(c.name))) return false;
  if (f.status && !f.status.includes(c.status)) return false;
  if (f.exited && !(c.status === 'exited' && f.exited.includes(String(c.exitCode)))) return false;
  if (f.ancestor && !f.ancestor.some((a) => a === c.image || c.imageId.startsWith(a) || c.imageId === `sha256:${a}` || `${a}:latest` === c.image)) return false;
  if (f.label && !f.label.every((l) => labelMatches(labels, l))) return false;
  return true;
}

function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

function parseUntil(value: string): Date {
  const m = /^(\d+)([smh])$/.exec(value);
  if (m) return new Date(Date.now() - Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h']);
  const d = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) throw badRequest(`invalid filter 'until=${value}'`);
  return d;
}

/** docker's UpdateConfig: the resources and restart policy to change; 0 or absent leaves one as it is. */
interface DockerUpdateBody {
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number | null;
  BlkioWeight?: number;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
}

function updateOptions(b: DockerUpdateBody): UpdateOptions {
  const limits: ContainerLimits = {};
  if (b.Memory) limits.memoryBytes = b.Memory;
  if (b.MemorySwap) limits.memorySwapBytes = b.MemorySwap;
  if (b.MemoryReservation) limits.memoryReservationBytes = b.MemoryReservation;
  if (b.NanoCpus) limits.nanoCpus = b.NanoCpus;
  if (b.CpuShares) limits.cpuShares = b.CpuShares;
  if (b.CpuPeriod) limits.cpuPeriod = b.CpuPeriod;
  if (b.CpuQuota) limits.cpuQuota = b.CpuQuota;
  if (b.CpusetCpus) limits.cpusetCpus = b.CpusetCpus;
  if (b.CpusetMems) limits.cpusetMems = b.CpusetMems;
  if (b.PidsLimit) limits.pidsLimit = b.PidsLimit;
  if (b.BlkioWeight) limits.blkioWeight = b.BlkioWeight;
  const name = b.RestartPolicy?.Name;
  return {
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(name ? { restartPolicy: { name: name as RestartPolicy['name'], maximumRetryCount: b.RestartPolicy?.MaximumRetryCount ?? 0 } } : {}),
  };
}
