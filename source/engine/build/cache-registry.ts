// `--cache-to type=registry,ref=R` and `--cache-from type=registry,ref=R` (or `--cache-from R`):
// the local cache export (cache-transfer.ts) carried as a one-layer image R, pushed and pulled
// like any image; nothing of it stays tagged here afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';
import { composeImage, imageBase } from '../images/compose.js';
import { findImage } from '../images/resolve.js';
import { layerFromDirectory } from '../layers/layer-from-dir.js';
import { withIngestLease } from '../store/lock.js';
import { exportCache, importCache } from './cache-transfer.js';
import type { BuildHost } from './host.js';

const LABEL = 'io.strata.build-cache';

export async function exportCacheToRegistry(engine: BuildHost, ref: string, entries: ReadonlyMap<string, string>): Promise<void> {
  const images = engine.images;
  const dir = path.join(images.paths.tmpDir, `build-cache-export-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  try {
    // under the lease: garbage collection empties tmp/ when no ingest runs
    const made = await withIngestLease(images.paths, async () => {
      await exportCache(images, dir, entries);
      if (!fs.existsSync(dir)) return false; // nothing to export
      const layer = await layerFromDirectory(images, null, dir, { overlay: false, link: true });
      await composeImage(images, await imageBase(images, undefined), {
        config: { Labels: { [LABEL]: '1' } },
        history: { created_by: 'strata build --cache-to' },
        layer: { diffId: layer.record.diffId, blob: layer.blob },
        tags: [ref],
      });
      return true;
    });
    if (made) await engine.pushImage(ref);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await engine.removeImage(ref).catch(() => {});
  }
}

export async function importCacheFromRegistry(engine: BuildHost, ref: string): Promise<Map<string, string>> {
  try {
    await engine.pullImage(ref);
  } catch (err) {
    throw new EngineError(`--cache-from ${ref}: ${(err as Error).message}`, 'invalid');
  }
  try {
    const image = findImage(engine.images, ref);
    if (!image || image.config.Labels?.[LABEL] !== '1' || image.chainIds.length !== 1) throw new EngineError(`--cache-from ${ref}: not a strata build cache image`, 'invalid');
    return await importCache(engine.images, engine.images.layers.diffDir(image.chainIds[0]));
  } finally {
    await engine.removeImage(ref).catch(() => {});
  }
}
