// `system check` for containers: every record readable and pointing at an image that
// exists, no half-created or half-removed directories, no stray temp files.
import fs from 'node:fs';
import path from 'node:path';
import type { CheckProblem } from '../api.js';
import { TEMP_MARKER } from '../store/json-file.js';
import { INTERRUPTED_CONTAINER } from './interrupted.js';
import type { ContainerService } from './service.js';

export function checkContainers(service: ContainerService, imageExists: (id: string) => boolean): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const dir = service.paths.containersDir;
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name.startsWith('.')) {
      // records are written through temp files here (record-store.ts); the rest are lock files
      if (name.includes(TEMP_MARKER)) problems.push({ kind: 'temp-file', path: full, detail: 'a temporary file left by an interrupted write' });
      continue;
    }
    if (INTERRUPTED_CONTAINER.test(name)) {
      problems.push({ kind: 'container-partial', path: full, detail: 'left over from an interrupted create or remove' });
      continue;
    }
    if (!/^[0-9a-f]{64}$/.test(name)) {
      problems.push({ kind: 'unexpected-entry', path: full, detail: 'not a container directory' });
      continue;
    }
    let record;
    try {
      record = JSON.parse(fs.readFileSync(path.join(full, 'container.json'), 'utf8'));
    } catch (err) {
      problems.push({ kind: 'record-unreadable', path: path.join(full, 'container.json'), detail: (err as Error).message });
      continue;
    }
    if (record.id !== name) problems.push({ kind: 'record-mismatch', path: full, detail: `record id ${record.id} differs from its directory` });
    if (!imageExists(record.config?.imageId)) problems.push({ kind: 'image-missing', path: full, detail: `image ${record.config?.imageId} of container ${record.name} is not in the store` });
    for (const entry of fs.readdirSync(full)) {
      if (entry.includes('.tmp')) problems.push({ kind: 'temp-file', path: path.join(full, entry), detail: 'a temporary file left by an interrupted write' });
    }
  }
  return problems;
}
