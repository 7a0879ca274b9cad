// kube play: the planned pods made real with the engine's public API — volumes and claims,
// then each pod's containers created and started, the namespace's owner first — and
// `--down`: the file's pods' containers and emptyDir volumes removed (claims kept, as podman).
import fs from 'node:fs';
import type { EngineApi } from '../../engine/api.js';
import { KubeError } from './errors.js';
import { KUBE_LABEL, type KubePlan } from './plan.js';

export interface PlayedPod {
  name: string;
  containers: Array<{ id: string; name: string }>;
}

async function podContainers(engine: EngineApi, pod: string) {
  return (await engine.listContainers(true)).filter((c) => c.labels?.[KUBE_LABEL.pod] === pod);
}

export async function playKube(engine: EngineApi, plan: KubePlan, opts: { replace?: boolean; start?: boolean } = {}): Promise<PlayedPod[]> {
  for (const pod of plan.pods) {
    const existing = await podContainers(engine, pod.name);
    if (existing.length && !opts.replace) throw new KubeError(`pod ${pod.name} already exists: use --replace or --down first`);
  }
  if (opts.replace) await downKube(engine, plan);
  const volumes = new Set((await engine.listVolumes()).map((v) => v.name));
  for (const claim of plan.claims) if (!volumes.has(claim)) volumes.add((await engine.createVolume(claim)).name);
  const out: PlayedPod[] = [];
  for (const pod of plan.pods) {
    for (const dir of pod.hostDirs) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (const v of pod.volumes) if (!volumes.has(v.name)) volumes.add((await engine.createVolume(v.name, v.emptyDir ? { [KUBE_LABEL.pod]: pod.name } : {})).name);
    const played: PlayedPod = { name: pod.name, containers: [] };
    for (const c of pod.containers) {
      const record = await engine.createContainer(c);
      played.containers.push({ id: record.id, name: record.name });
      // the owner runs before a member joins its namespace
      if (opts.start !== false) await engine.startContainer(record.id);
    }
    out.push(played);
  }
  return out;
}

/** Removes the file's pods: their containers (members before the owner) and their emptyDir volumes. */
export async function downKube(engine: EngineApi, plan: KubePlan): Promise<string[]> {
  const removed: string[] = [];
  for (const pod of plan.pods) {
    const containers = await podContainers(engine, pod.name);
    if (containers.length === 0) continue;
    const order = pod.containers.map((c) => c.name);
    containers.sort((a, b) => order.indexOf(b.name) - order.indexOf(a.name));
    for (const c of containers) await engine.removeContainer(c.id, true);
    for (const v of (await engine.listVolumes()).filter((x) => x.labels?.[KUBE_LABEL.pod] === pod.name)) await engine.removeVolume(v.name, true);
    removed.push(pod.name);
  }
  return removed;
}
