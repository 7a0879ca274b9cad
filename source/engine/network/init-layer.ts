// docker's init layer: a read-only layer just above the image's with empty /etc/hosts,
// /etc/hostname and /etc/resolv.conf to bind the generated files over. With the mount points
// there, nothing about them ever lands in the container's upper dir, so diff and commit
// never see them.
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors.js';

export function ensureInitLayer(containerDir: string): string {
  const layer = path.join(containerDir, 'init');
  if (fs.existsSync(path.join(layer, 'etc', 'resolv.conf'))) return layer;
  const staging = `${layer}.creating`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    // never recursive from the container's directory: a remove that renamed it away meanwhile
    // (a parallel rm of a starting container) would get a ghost containers/<id>/ back
    fs.mkdirSync(staging, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError(`No such container: ${path.basename(containerDir)}`, 'not-found');
    throw err;
  }
  fs.mkdirSync(path.join(staging, 'etc'), { mode: 0o755 });
  fs.chmodSync(path.join(staging, 'etc'), 0o755);
  for (const f of ['hosts', 'hostname', 'resolv.conf']) fs.writeFileSync(path.join(staging, 'etc', f), '', { mode: 0o644 });
  fs.rmSync(layer, { recursive: true, force: true });
  fs.renameSync(staging, layer);
  return layer;
}
