// `commit`: a container's upper dir becomes one new layer on top of its image, with the
// container's config (plus --change) and a history entry, like docker commit.
//
// A running container is frozen meanwhile (docker's default) and its layer is extracted from
// the packed tar. A stopped one is cheaper: the layer is a hardlinked copy of the upper dir and
// the container is then moved onto the image it was committed as, with an empty upper dir — its
// files look exactly the same (the same layers, in the same order), no inode is shared between
// the layer and anything writable, and no file is copied. diff keeps reporting against the
// image the container was created from (diff-base.json).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { CommitOptions, ContainerRecord, ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { applyChanges } from '../images/changes.js';
import { composeImage, imageBase } from '../images/compose.js';
import { collectIfPending } from '../images/gc.js';
import type { ImageService } from '../images/image-service.js';
import type { StoredImage } from '../images/image-records.js';
import { parseReference } from '../images/reference.js';
import { findImage } from '../images/resolve.js';
import { layerFromDirectory } from '../layers/layer-from-dir.js';
import { readJsonIfExists, writeJsonAtomic } from '../store/json-file.js';
import { withIngestLease, withNonReentrantLock } from '../store/lock.js';
import { freezeMarker } from './commit-freeze.js';
import type { ContainerService } from './service.js';

interface DiffBase { imageId: string }

/** What a commit of a running container needs of the task service: freezing it meanwhile. */
export interface Freezer {
  pause(ref: string): void;
  unpause(ref: string): void;
}

/** The image `diff` compares against: the one the container was created from. */
export function diffBaseImage(containers: ContainerService, record: ContainerRecord): string {
  return readJsonIfExists<DiffBase>(diffBaseFile(containers, record.id))?.imageId ?? record.config.imageId;
}

function diffBaseFile(containers: ContainerService, id: string): string {
  return `${containers.paths.dir(id)}/diff-base.json`;
}

export async function commitContainer(containers: ContainerService, tasks: Freezer, images: ImageService, ref: string, target: string | undefined, opts: CommitOptions = {}): Promise<StoredImage> {
  const found = containers.get(ref);
  // A bad name fails before any work
  if (target && parseReference(target).digest) throw new EngineError(`refusing to create a tag with a digest reference: ${target}`, 'invalid');
  try {
    if (found.state.running) return await commitRunning(containers, tasks, images, found, target, opts);
    return await withNonReentrantLock(containers.paths.lock(found.id), async () => {
      const record = containers.get(found.id);
      if (record.state.running) return commitRunning(containers, tasks, images, record, target, opts); // started meanwhile
      return commitStopped(containers, images, record, target, opts);
    });
  } finally {
    await collectIfPending(images).catch(() => {});
  }
}

async function commitRunning(containers: ContainerService, tasks: Freezer, images: ImageService, record: ContainerRecord, target: string | undefined, opts: CommitOptions): Promise<StoredImage> {
  const freeze = opts.pause !== false && !record.state.paused;
  const marker = freezeMarker(images.paths.tmpDir, record.id);
  if (freeze) {
    fs.mkdirSync(images.paths.tmpDir, { recursive: true });
    fs.writeFileSync(marker, '');
    tasks.pause(record.id);
  }
  try {
    return await commitLayer(containers, images, record, target, opts, false);
  } finally {
    if (freeze) {
      try { tasks.unpause(record.id); } catch { /* it exited meanwhile */ }
      fs.rmSync(marker, { force: true });
    }
  }
}

async function commitStopped(containers: ContainerService, images: ImageService, record: ContainerRecord, target: string | undefined, opts: CommitOptions): Promise<StoredImage> {
  // Tagged only once the container no longer writes into the layer's inodes.
  const image = await commitLayer(containers, images, record, undefined, opts, true);
  const base = diffBaseImage(containers, record);
  // its temp file in containers/, where the next strata process sweeps what a killed commit left
  writeJsonAtomic(diffBaseFile(containers, record.id), { imageId: base } satisfies DiffBase, { temp: { dir: containers.paths.containersDir, base: `${record.id}.diff-base.json` } });
  // From here the container runs on its commit. A crash before the upper dir is swapped leaves
  // the same files in both (the same view): still correct, the swap just did not happen.
  containers.records.write({ ...record, config: { ...record.config, imageId: image.id } });
  const upper = containers.paths.upper(record.id);
  const aside = `${upper}.committed-${Date.now()}`;
  fs.renameSync(upper, aside);
  fs.mkdirSync(upper);
  fs.rmSync(containers.paths.work(record.id), { recursive: true, force: true });
  fs.mkdirSync(containers.paths.work(record.id));
  // Unlinking thousands of entries is most of a commit's time: done in the background. What an
  // exiting CLI leaves of it is only more links to the layer's inodes, gone with the container.
  void fsp.rm(aside, { recursive: true, force: true }).catch(() => {});
  if (target) await images.tag(image.id, target);
  return image;
}

async function commitLayer(containers: ContainerService, images: ImageService, record: ContainerRecord, target: string | undefined, opts: CommitOptions, link: boolean): Promise<StoredImage> {
  const parent = findImage(images, record.config.imageId);
  if (!parent) throw new EngineError(`cannot commit ${record.name}: its image ${record.config.imageId} is no longer in the store`, 'not-found');
  const config = applyChanges(containerConfig(record, parent.config), opts.changes ?? []);
  return withIngestLease(images.paths, async () => {
    const base = await imageBase(images, parent);
    const layer = await layerFromDirectory(images, parent.chainIds.at(-1) ?? null, containers.paths.upper(record.id), { overlay: true, link });
    return composeImage(images, base, {
      config,
      author: opts.author,
      layer: { diffId: layer.record.diffId, blob: layer.blob },
      history: { created_by: [record.path, ...record.args].join(' '), ...(opts.author ? { author: opts.author } : {}), ...(opts.message ? { comment: opts.message } : {}) },
      tags: target ? [target] : [],
    });
  });
}

/** The image config a commit records: the image's, overridden by what the container ran with. */
function containerConfig(record: ContainerRecord, image: ImageConfig): ImageConfig {
  const c = record.config;
  const config: ImageConfig = { ...structuredClone(image) };
  config.Cmd = c.cmd;
  if (c.entrypoint.length > 0) config.Entrypoint = c.entrypoint;
  else delete config.Entrypoint;
  if (c.env.length > 0) config.Env = dedupeEnv(c.env);
  if (c.workdir) config.WorkingDir = c.workdir;
  if (c.user) config.User = c.user;
  if (Object.keys(c.labels).length > 0) config.Labels = c.labels;
  if (c.stopSignal && (c.stopSignal !== 'SIGTERM' || image.StopSignal)) config.StopSignal = c.stopSignal;
  return config;
}

// A `run -e` that overrides an image variable appears twice in the container's list: the last wins.
function dedupeEnv(env: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const e of env) byKey.set(e.split('=', 1)[0], e);
  return [...byKey.values()];
}
