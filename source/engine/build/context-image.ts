// `FROM name` where `--build-context name=DIR`: the directory's files (minus its .dockerignore,
// links resolved inside it) as a one-layer image, as BuildKit uses a local context as a rootfs.
// Its time is fixed, so the same files give the same image id and the steps after it hit the cache.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { composeImage, imageBase } from '../images/compose.js';
import type { ImageService } from '../images/image-service.js';
import type { StoredImage } from '../images/image-records.js';
import { layerFromDirectory } from '../layers/layer-from-dir.js';
import { withIngestLease } from '../store/lock.js';
import { ContextFs } from './source-fs.js';
import { copyTreeOut } from './tree-out.js';

export function imageOfDirectory(images: ImageService, root: string, name: string): Promise<StoredImage> {
  return withIngestLease(images.paths, async () => {
    const staging = path.join(images.paths.tmpDir, `build-context-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    try {
      copyTreeOut(new ContextFs(root), '', staging);
      const layer = await layerFromDirectory(images, null, staging, { overlay: false, link: true });
      return await composeImage(images, await imageBase(images, undefined), {
        config: {},
        history: { created_by: `build context ${name}`, created: new Date(0).toISOString() },
        layer: { diffId: layer.record.diffId, blob: layer.blob },
        intermediate: true,
      });
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });
}
