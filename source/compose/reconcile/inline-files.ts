// Secrets and configs with no host file (`environment: VAR`, `content:`): written into a created
// container before its start, as docker compose copies them, so no host file holds a secret.
import path from 'node:path';
import type { EngineApi } from '../../engine/api.js';
import { ComposeError } from '../model/errors.js';
import type { ComposeService } from '../model/types.js';

function inlineFiles(service: ComposeService) {
  return [...service.secrets, ...service.configs].filter((f) => f.content !== undefined || f.variable !== undefined);
}

/** Refuses, before anything is stopped or removed, a secret whose variable is unset (docker compose's words). */
export function checkInlineFiles(services: ComposeService[]): void {
  for (const service of services) {
    const unset = inlineFiles(service).find((f) => f.content === undefined);
    if (unset) throw new ComposeError(`environment variable "${unset.variable}" required by file "${unset.source}" is not set`);
  }
}

export async function writeInlineFiles(engine: EngineApi, containerId: string, service: ComposeService): Promise<void> {
  const inline = inlineFiles(service);
  if (inline.length === 0) return;
  checkInlineFiles([service]);
  const { default: tarStream } = await import('tar-stream'); // loaded by the projects that need it only
  const pack = tarStream.pack();
  const dirs = new Set<string>();
  for (const f of inline) {
    const rel = f.target.replace(/^\/+/, '');
    // each parent directory first, so that the copy makes what the image lacks (/run/secrets)
    const parts = path.posix.dirname(rel).split('/').filter((p) => p && p !== '.');
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      pack.entry({ name: `${dir}/`, type: 'directory', mode: 0o755 });
    }
    pack.entry({ name: rel, mode: f.mode ?? 0o444 }, f.content ?? '');
  }
  pack.finalize();
  await engine.copyToContainer(containerId, '/', { stream: pack as unknown as NodeJS.ReadableStream });
}
