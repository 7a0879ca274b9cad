// Child process for concurrent.test.ts. `import ROOT TAR TAG N`: imports TAR N times as TAG-i.
// `churn ROOT TAR N`: imports TAR and removes it again N times, so garbage collection runs
// while the other processes ingest.
import fs from 'node:fs';
import { ImageService } from '../../../source/engine/images/image-service.js';

const [mode, root, tarFile, ...rest] = process.argv.slice(2);
const images = new ImageService(root);
if (mode === 'import') {
  const [tag, n] = rest;
  for (let i = 0; i < Number(n); i++) await images.importImage(fs.createReadStream(tarFile), `${tag}-${i}`);
} else if (mode === 'churn') {
  const [n] = rest;
  for (let i = 0; i < Number(n); i++) {
    const image = await images.importImage(fs.createReadStream(tarFile), `churn:${process.pid}`);
    await images.remove(image.id, true, () => false);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
