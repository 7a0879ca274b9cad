// `system df`: space used by images (every layer counted once, shared layers apart), containers
// (their writable layers), local volumes and the build cache, and how much of each could be
// reclaimed (what nothing running or existing needs).
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, DiskUsage } from '../api.js';
import type { ImageStores } from './context.js';
import { familiarOf } from './reference.js';

export interface DiskUsageInputs {
  containers: ContainerRecord[];
  upperDir(id: string): string;
  commandOf(record: ContainerRecord): string;
  statusOf(record: ContainerRecord): string;
}

export async function diskUsage(stores: ImageStores, inputs: DiskUsageInputs): Promise<DiskUsage> {
  const index = stores.tags.read();
  const tagged = new Set(index.values());
  const all = stores.records.readable().images;
  // Untagged build-step images are the build cache, as `images` hides them
  const isCache = (i: (typeof all)[number]) => i.intermediate === true && !tagged.has(i.id);
  const images = all.filter((i) => !isCache(i));
  const layerSize = new Map<string, number>();
  const layerUsers = new Map<string, number>();
  for (const image of images) {
    for (const chain of image.chainIds) {
      if (!layerSize.has(chain)) layerSize.set(chain, stores.layers.has(chain) ? await stores.layers.layerSize(chain) : 0);
      layerUsers.set(chain, (layerUsers.get(chain) ?? 0) + 1);
    }
  }
  const usedBy = new Map<string, number>();
  for (const c of inputs.containers) usedBy.set(c.config.imageId, (usedBy.get(c.config.imageId) ?? 0) + 1);

  const usage: DiskUsage = { layersSize: 0, imagesReclaimable: 0, images: [], containers: [], volumes: [], buildCache: [] };
  const activeLayers = new Set(images.filter((i) => usedBy.has(i.id)).flatMap((i) => i.chainIds));
  for (const [chain, size] of layerSize) {
    usage.layersSize += size;
    if (!activeLayers.has(chain)) usage.imagesReclaimable += size;
  }
  for (const image of images) {
    const chains = [...new Set(image.chainIds)];
    const size = chains.reduce((sum, c) => sum + (layerSize.get(c) ?? 0), 0);
    const sharedSize = chains.filter((c) => (layerUsers.get(c) ?? 0) > 1).reduce((sum, c) => sum + (layerSize.get(c) ?? 0), 0);
    usage.images.push({
      id: image.id,
      repoTags: stores.tags.refsOf(image.id, index).filter((r) => !r.includes('@')).map(familiarOf),
      created: image.created,
      size,
      sharedSize,
      uniqueSize: size - sharedSize,
      containers: usedBy.get(image.id) ?? 0,
    });
  }

  const volumeLinks = new Map<string, number>();
  for (const c of inputs.containers) {
    const mounts = c.mounts ?? [];
    for (const m of mounts) if (m.type === 'volume' && m.name) volumeLinks.set(m.name, (volumeLinks.get(m.name) ?? 0) + 1);
    usage.containers.push({
      id: c.id,
      name: c.name,
      image: c.config.image,
      command: inputs.commandOf(c),
      created: c.created,
      status: inputs.statusOf(c),
      running: c.state.running,
      sizeRw: treeSize(inputs.upperDir(c.id)),
      localVolumes: mounts.filter((m) => m.type === 'volume').length,
    });
  }

  const volumesDir = path.join(stores.paths.root, 'volumes');
  for (const name of listDir(volumesDir)) {
    const data = path.join(volumesDir, name, '_data');
    if (!fs.existsSync(data)) continue;
    usage.volumes.push({ name, links: volumeLinks.get(name) ?? 0, size: treeSize(data) });
  }

  // Each cached step: the layer it added (its top one), shared when a listed image has it too.
  const listedLayers = new Set(images.flatMap((i) => i.chainIds));
  for (const step of all.filter(isCache)) {
    const top = step.chainIds.at(-1);
    const size = top && stores.layers.has(top) ? await stores.layers.layerSize(top) : 0;
    const inUse = usedBy.has(step.id);
    usage.buildCache.push({ id: step.id.slice('sha256:'.length), size, inUse, shared: top !== undefined && listedLayers.has(top), lastUsed: step.created, description: '' });
  }
  // RUN --mount=type=cache directories (build/cache-mounts.ts), as BuildKit lists its exec.cachemount records
  const mountsDir = path.join(stores.paths.root, 'build-cache-mounts');
  for (const name of listDir(mountsDir).filter((n) => /^[0-9a-f]{64}$/.test(n))) {
    const data = path.join(mountsDir, name, 'data');
    const st = fs.statSync(data, { throwIfNoEntry: false });
    if (!st) continue;
    const id = readText(path.join(mountsDir, name, 'id'));
    usage.buildCache.push({ id: name, size: treeSize(data), inUse: false, shared: false, lastUsed: st.mtime.toISOString(), description: `cache mount ${id}` });
  }
  return usage;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => !n.startsWith('.'));
  } catch {
    return [];
  }
}

/** Bytes of regular files and symlinks below dir (hardlinks once), never following a link. */
export function treeSize(dir: string): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (p: string) => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) walk(path.join(p, n));
      return;
    }
    if (!st.isFile() && !st.isSymbolicLink()) return;
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    total += st.size;
  };
  walk(dir);
  return total;
}
