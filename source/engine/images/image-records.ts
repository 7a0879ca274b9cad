// Image records, images/<configHex>.json: everything needed to run and list an image without
// opening its blobs. Tags are not stored here but in the tag index (tag-store.ts).
import fs from 'node:fs';
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { digestHex } from '../content/digest.js';
import { type PreparedWrite, prepareJsonAtomic, readJsonIfExists, writeJsonAtomic } from '../store/json-file.js';
import type { StorePaths } from '../store/paths.js';

export interface StoredImage {
  id: string; // sha256 of the config blob
  manifestDigest: string;
  created: string;
  architecture: string;
  os: string;
  config: ImageConfig;
  diffIds: string[];
  chainIds: string[]; // bottom layer first, like diffIds
  layerDigests: string[]; // the layer blobs the manifest names
  size: number;
  intermediate?: boolean; // a build step's image: hidden from the list while untagged, removed by `builder prune`
}

const RECORD_NAME = /^([0-9a-f]{64})\.json$/;

export class ImageRecords {
  constructor(private readonly paths: StorePaths) {}

  ids(): string[] {
    return fs.readdirSync(this.paths.imagesDir).flatMap((name) => {
      const m = RECORD_NAME.exec(name);
      return m ? [`sha256:${m[1]}`] : [];
    });
  }

  has(id: string): boolean {
    return /^sha256:[0-9a-f]{64}$/.test(id) && fs.existsSync(this.paths.imageRecord(digestHex(id)));
  }

  /** undefined when the record is gone (removed meanwhile by another process). */
  read(id: string): StoredImage | undefined {
    return readJsonIfExists<StoredImage>(this.paths.imageRecord(digestHex(id)));
  }

  all(): StoredImage[] {
    return this.ids().flatMap((id) => {
      const r = this.read(id);
      return r ? [r] : [];
    });
  }

  /** Every record that can be read, and the ids of those that cannot (for `system check` to report). */
  readable(): { images: StoredImage[]; unreadable: string[] } {
    const images: StoredImage[] = [];
    const unreadable: string[] = [];
    for (const id of this.ids()) {
      try {
        const r = this.read(id);
        if (r) images.push(r);
      } catch {
        unreadable.push(id);
      }
    }
    return { images, unreadable };
  }

  /** The caller holds the store lock. */
  write(image: StoredImage): void {
    writeJsonAtomic(this.paths.imageRecord(digestHex(image.id)), image);
  }

  /** write(), waiting for its rename (json-file.ts commitTogether). */
  prepareWrite(image: StoredImage): PreparedWrite {
    return prepareJsonAtomic(this.paths.imageRecord(digestHex(image.id)), image);
  }

  /** The caller holds the store lock. */
  delete(id: string): void {
    try {
      fs.unlinkSync(this.paths.imageRecord(digestHex(id)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new EngineError(`cannot delete image record ${id}: ${(err as Error).message}`, 'internal');
    }
  }
}
