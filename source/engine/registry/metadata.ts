// What strata remembers about blobs and registries (docker keeps the same under
// image/…/distribution/): which repositories of which registry a blob is known to be in — so a
// push can mount it from there instead of uploading — and the gzip blob made once for an
// uncompressed layer, so it is compressed only the first time it is pushed.
// distribution/metadata.json, written atomically under the store lock.
import path from 'node:path';
import type { Descriptor } from '../images/oci.js';
import { readJsonIfExists, writeJsonAtomic } from '../store/json-file.js';
import { withLock } from '../store/lock.js';
import type { StorePaths } from '../store/paths.js';
import fs from 'node:fs';

interface MetadataFile {
  version: 1;
  sources: Record<string, string[]>; // blob digest → ["127.0.0.1:5000/team/app", …]
  compressed: Record<string, Descriptor>; // diffID → its gzip blob
}

const MAX_SOURCES = 8;

export class DistributionMetadata {
  private readonly file: string;

  constructor(private readonly paths: StorePaths) {
    this.file = path.join(paths.root, 'distribution', 'metadata.json');
  }

  private read(): MetadataFile {
    const data = readJsonIfExists<MetadataFile>(this.file);
    return { version: 1, sources: data?.sources ?? {}, compressed: data?.compressed ?? {} };
  }

  /** Repositories (domain/path) of this registry the blob is known in, most recent first. */
  sourcesOf(digest: string, domain: string): string[] {
    return (this.read().sources[digest] ?? []).filter((repo) => repo.startsWith(`${domain}/`)).map((repo) => repo.slice(domain.length + 1));
  }

  compressedOf(diffId: string): Descriptor | undefined {
    return this.read().compressed[diffId];
  }

  async remember(update: { sources?: Array<[string, string]>; compressed?: Array<[string, Descriptor]> }): Promise<void> {
    await withLock(this.paths, () => {
      const data = this.read();
      for (const [digest, repo] of update.sources ?? []) {
        data.sources[digest] = [repo, ...(data.sources[digest] ?? []).filter((r) => r !== repo)].slice(0, MAX_SOURCES);
      }
      for (const [diffId, desc] of update.compressed ?? []) data.compressed[diffId] = desc;
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o711 });
      writeJsonAtomic(this.file, data);
    });
  }
}
