// The tag index, images/repositories.json: normalised reference → image id. One file, so a
// retag is one atomic write. Readers need no lock; writers hold the store lock (read-modify-write).
import fs from 'node:fs';
import { EngineError } from '../errors.js';
import { type PreparedWrite, commitTogether, prepareJsonAtomic, readJsonIfExists } from '../store/json-file.js';
import type { StorePaths } from '../store/paths.js';

interface TagIndexFile {
  version: 1;
  refs: Record<string, string>; // "docker.io/library/busybox:latest" → "sha256:<config>"
}

export class TagStore {
  constructor(private readonly paths: StorePaths) {}

  /** All references in the order they were made. */
  read(): Map<string, string> {
    const file = readJsonIfExists<TagIndexFile>(this.paths.repositories);
    if (file === undefined) return new Map();
    if (typeof file.refs !== 'object' || file.refs === null) throw new EngineError(`${this.paths.repositories} has no "refs" map`, 'internal');
    return new Map(Object.entries(file.refs));
  }

  get(fullRef: string): string | undefined {
    return this.read().get(fullRef);
  }

  refsOf(id: string, index = this.read()): string[] {
    return [...index].filter(([, target]) => target === id).map(([ref]) => ref);
  }

  /** Applies a change to the index and writes it atomically. The caller holds the store lock. */
  update(change: (refs: Map<string, string>) => void): void {
    commitTogether([this.prepareUpdate(change)]);
  }

  /** update(), written and synced but not yet renamed into place (json-file.ts commitTogether). */
  prepareUpdate(change: (refs: Map<string, string>) => void): PreparedWrite {
    const refs = this.read();
    change(refs);
    return prepareJsonAtomic(this.paths.repositories, { version: 1, refs: Object.fromEntries(refs) } satisfies TagIndexFile);
  }

  exists(): boolean {
    return fs.existsSync(this.paths.repositories);
  }
}
