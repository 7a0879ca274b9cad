// `build --output`: the final stage's file tree written out instead of (or besides) an image,
// as BuildKit's local and tar exporters do — type=local,dest=DIR fills DIR, type=tar,dest=FILE
// writes one tar (dest=- or a stream: the caller's stdout).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ImageService } from '../images/image-service.js';
import type { StoredImage } from '../images/image-records.js';
import { packDirectory } from '../layers/dir-to-tar.js';
import { withIngestLease } from '../store/lock.js';
import { copyTreeOut } from './tree-out.js';
import { mergedView } from './tree-source.js';
import type { BuildOutput } from './types.js';

export async function exportOutput(images: ImageService, image: StoredImage, output: BuildOutput): Promise<void> {
  const view = mergedView(images, image);
  if (output.type === 'local') {
    fs.mkdirSync(output.dest, { recursive: true });
    // merged into what DIR holds, file by file, as BuildKit's local exporter writes
    for (const name of view.list('')) copyTreeOut(view, name, path.join(output.dest, name));
    return;
  }
  // packed from a plain copy: the layers' whiteouts must not reach the tar
  const staging = path.join(images.paths.tmpDir, `build-output-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  // under the lease: garbage collection empties tmp/ when no ingest runs
  await withIngestLease(images.paths, async () => {
    try {
      copyTreeOut(view, '', staging);
      const out = typeof output.dest === 'string' ? fs.createWriteStream(output.dest) : output.dest;
      await pipeline(packDirectory(staging), out, { end: typeof output.dest === 'string' });
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });
}
