// store/: the on-disk root — where everything lives, the locks between strata processes,
// and atomic JSON records. This file only names paths; it never touches the disk except ensure().
import fs from 'node:fs';
import path from 'node:path';

export class StorePaths {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get blobsDir(): string { return path.join(this.root, 'blobs', 'sha256'); }
  blob(hex: string): string { return path.join(this.blobsDir, hex); }

  get layersDir(): string { return path.join(this.root, 'layers'); }
  layerDir(chainHex: string): string { return path.join(this.layersDir, chainHex); }
  layerDiff(chainHex: string): string { return path.join(this.layersDir, chainHex, 'diff'); }
  layerRecord(chainHex: string): string { return path.join(this.layersDir, chainHex, 'layer.json'); }

  get imagesDir(): string { return path.join(this.root, 'images'); }
  imageRecord(configHex: string): string { return path.join(this.imagesDir, `${configHex}.json`); }
  get repositories(): string { return path.join(this.imagesDir, 'repositories.json'); }

  get containersDir(): string { return path.join(this.root, 'containers'); }
  // Blobs are streamed here first; same filesystem as blobs/ so the final rename is atomic.
  get tmpDir(): string { return path.join(this.root, 'tmp'); }

  // Exclusive for every mutation of blobs/, layers/ and images/.
  get lockFile(): string { return path.join(this.root, 'lock'); }
  // Held shared by every ingest in progress (blobs and layers not yet referenced by an image):
  // garbage collection only deletes unreferenced content when it can take this exclusively.
  get ingestLockFile(): string { return path.join(this.root, 'ingest.lock'); }
  // Present when a collection was deferred because an ingest ran; the next ingest to end redoes it.
  get gcPendingFile(): string { return path.join(this.root, 'gc.pending'); }

  ensure(): void {
    for (const dir of [this.blobsDir, this.layersDir, this.imagesDir, this.containersDir, this.tmpDir]) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    }
  }
}
