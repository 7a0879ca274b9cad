// The layer explorer's engine side: for an image (or a container: its image plus its live upper
// layer) the per-layer changes, merged trees, wasted space, comparisons and file contents.
// Image layers are scanned once per chainID (scan-cache.ts) and an image's merged trees and
// waste are computed once and kept; a container's upper layer is read afresh on every call.
import path from 'node:path';
import type { ImageRecord } from '../../api.js';
import { EngineError } from '../../errors.js';
import type { HistoryEntry, OciImageConfig } from '../../images/oci.js';
import { compareTrees } from './compare.js';
import { readLayerFile, saveLayerFile, type LocatedFile } from './file-content.js';
import { applyLayer, emptyRoot, lookup, type MergeStep } from './merge.js';
import { scanLayerDir, type LayerScan } from './scan.js';
import { LayerScanCache } from './scan-cache.js';
import type { FileNode, ImageComparison, LayerAnalysis, LayerFileContent, LayerInfo, TreeTarget, TreeView } from './types.js';
import { layerView, mergedView } from './views.js';
import { measureWaste, type WasteSummary } from './waste.js';

interface Stack {
  name: string;
  imageId: string;
  chainIds: string[]; // 'upper' for a live layer
  dirs: string[];
  infos: LayerInfo[];
  scans: LayerScan[];
  steps: MergeStep[];
  waste?: WasteSummary;
  views: Map<string, FileNode>;
}

/** What the explorer needs of the image store: an image by reference, its layers and config. */
export interface TreeImageSource {
  resolve(ref: string): Promise<ImageRecord>;
  layerDirs(image: ImageRecord): string[]; // topmost first
  content: { getJson<T>(digest: string): Promise<T> };
}

/** What it needs of a container: its name, the image it was created from, its live upper layer. */
export interface TreeContainerSource {
  layerSource(ref: string): { name: string; imageId: string; imageRef: string; upperDir: string };
}

const KEPT_IMAGES = 8;
export const PREVIEW_BYTES = 1 << 20;

export class LayerTreeService {
  private readonly scans = new LayerScanCache();
  private readonly stacks = new Map<string, Promise<Stack>>(); // by image id, most recently used last

  constructor(private readonly images: TreeImageSource, private readonly containers: TreeContainerSource) {}

  async analyse(target: TreeTarget): Promise<LayerAnalysis> {
    const stack = await this.stack(target);
    // A caller asking for a tree at the same time gets it drawn before the waste is worked out.
    if (!stack.waste) await new Promise((resolve) => setImmediate(resolve));
    stack.waste ??= measureWaste(stack.scans, stack.steps.map((s) => s.root), stack.infos.map((l) => l.instruction));
    const { totalBytes, wastedBytes, efficiency, wasted } = stack.waste;
    return { name: stack.name, imageId: stack.imageId, layers: stack.infos, totalBytes, wastedBytes, efficiency, wasted };
  }

  async tree(target: TreeTarget, layer: number, view: TreeView): Promise<FileNode> {
    const stack = await this.stack(target);
    const index = checkLayer(stack, layer);
    const step = stack.steps[index];
    const key = `${index}:${view}`;
    let tree = stack.views.get(key);
    if (!tree) {
      tree = view === 'merged' ? mergedView(step.root, step.changes) : layerView(step.root, step.changes);
      stack.views.set(key, tree);
    }
    return tree;
  }

  async compare(base: string, other: string): Promise<ImageComparison> {
    const a = await this.stack({ image: base });
    const b = await this.stack({ image: other });
    const top = (s: Stack) => s.steps[s.steps.length - 1]?.root ?? emptyRoot();
    return compareTrees({ name: base, root: top(a), chainIds: a.chainIds }, { name: other, root: top(b), chainIds: b.chainIds });
  }

  async readFile(target: TreeTarget, layer: number, filePath: string, maxBytes = PREVIEW_BYTES): Promise<LayerFileContent> {
    return readLayerFile(await this.locate(target, layer, filePath), maxBytes);
  }

  async saveFile(target: TreeTarget, layer: number, filePath: string, hostPath: string, overwrite = false): Promise<string> {
    return saveLayerFile(await this.locate(target, layer, filePath), hostPath, overwrite);
  }

  /** The copy visible at the layer; for a path the layer removed, the copy it removed. */
  private async locate(target: TreeTarget, layer: number, filePath: string): Promise<LocatedFile> {
    const stack = await this.stack(target);
    layer = checkLayer(stack, layer);
    const rel = relativePath(filePath);
    let node = lookup(stack.steps[layer].root, rel);
    if (!node && layer > 0) node = lookup(stack.steps[layer - 1].root, rel);
    if (!node || node.layer < 0) throw new EngineError(`${filePath} does not exist in layer ${layer} of ${stack.name}`, 'not-found');
    return { node, rel, layerDir: stack.dirs[node.layer] };
  }

  private async stack(target: TreeTarget): Promise<Stack> {
    if ('image' in target) return this.imageStack(await this.images.resolve(target.image), target.image);
    const container = this.containers.layerSource(target.container);
    const image = await this.images.resolve(container.imageId).catch(() => {
      throw new EngineError(`the image of container ${container.name} (${container.imageId}) is no longer in the store`, 'not-found');
    });
    const below = await this.imageStack(image, container.imageRef);
    const upperDir = container.upperDir;
    const scan = scanLayerDir(upperDir);
    const index = below.steps.length;
    const step = applyLayer(below.steps[index - 1]?.root ?? emptyRoot(), scan, index);
    return {
      name: container.name,
      imageId: image.id,
      chainIds: [...below.chainIds, 'upper'],
      dirs: [...below.dirs, upperDir],
      infos: [...below.infos, layerInfo(index, 'upper', '', `container ${container.name} (live)`, '', scan, step, true)],
      scans: [...below.scans, scan],
      steps: [...below.steps, step],
      views: new Map(),
    };
  }

  /** One build per image at a time: callers asking together share it. */
  private imageStack(image: ImageRecord, name: string): Promise<Stack> {
    const known = this.stacks.get(image.id);
    if (known) {
      this.stacks.delete(image.id);
      this.stacks.set(image.id, known);
      return known;
    }
    const building = this.buildStack(image, name);
    this.stacks.set(image.id, building);
    if (this.stacks.size > KEPT_IMAGES) this.stacks.delete(this.stacks.keys().next().value!);
    building.catch(() => { if (this.stacks.get(image.id) === building) this.stacks.delete(image.id); });
    return building;
  }

  private async buildStack(image: ImageRecord, name: string): Promise<Stack> {
    const dirs = this.images.layerDirs(image).reverse();
    const history = await this.history(image);
    const scans: LayerScan[] = [];
    const steps: MergeStep[] = [];
    const infos: LayerInfo[] = [];
    image.chainIds.forEach((chainId, index) => {
      const scan = this.scans.get(chainId, dirs[index]);
      const step = applyLayer(steps[index - 1]?.root ?? emptyRoot(), scan, index);
      const entry = history[index];
      scans.push(scan);
      steps.push(step);
      infos.push(layerInfo(index, chainId, image.diffIds[index], instructionOf(entry), entry?.created ?? '', scan, step, false));
    });
    return { name, imageId: image.id, chainIds: [...image.chainIds], dirs, infos, scans, steps, views: new Map() };
  }

  /** History entries that made a layer, in layer order (empty_layer entries made none). */
  private async history(image: ImageRecord): Promise<HistoryEntry[]> {
    try {
      const config = await this.images.content.getJson<OciImageConfig>(image.id);
      return (config.history ?? []).filter((h) => !h.empty_layer);
    } catch {
      return [];
    }
  }
}

function layerInfo(index: number, id: string, diffId: string, instruction: string, created: string, scan: LayerScan, step: MergeStep, live: boolean): LayerInfo {
  let size = 0;
  let files = 0;
  for (const e of scan.entries) {
    if (e.kind === 'whiteout') continue;
    files++;
    size += e.size;
  }
  let added = 0;
  let modified = 0;
  for (const change of step.changes.written.values()) {
    if (change === 'added') added++;
    else if (change === 'modified') modified++;
  }
  let removed = 0;
  const countRemoved = (node: { children?: Map<string, unknown> }) => {
    removed++;
    for (const child of node.children?.values() ?? []) countRemoved(child as typeof node);
  };
  step.changes.removed.forEach(countRemoved);
  return { index, id, diffId, instruction, created, size, files, added, modified, removed, live };
}

/** `docker history` style: the shell wrapper of RUN and the #(nop) of metadata steps dropped. */
export function instructionOf(entry: HistoryEntry | undefined): string {
  const by = (entry?.created_by ?? '').trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(by);
  if (nop) return by.slice(nop[0].length);
  if (by.startsWith('/bin/sh -c ')) return `RUN ${by.slice('/bin/sh -c '.length)}`;
  return by || entry?.comment || '';
}

/** The layer's index from the bottom; a negative one counts from the top (-1 is the top layer). */
function checkLayer(stack: Stack, layer: number): number {
  const count = stack.steps.length;
  const index = layer < 0 ? count + layer : layer;
  if (!Number.isInteger(layer) || index < 0 || index >= count) {
    throw new EngineError(`layer ${layer} does not exist: ${stack.name} has ${count} layer${count === 1 ? '' : 's'} (0-${count - 1})`, 'invalid');
  }
  return index;
}

function relativePath(filePath: string): string {
  if (!filePath.startsWith('/')) throw new EngineError(`a path in a layer must be absolute: ${filePath}`, 'invalid');
  return path.posix.normalize(filePath).replace(/^\/+/, '').replace(/\/+$/, '');
}
