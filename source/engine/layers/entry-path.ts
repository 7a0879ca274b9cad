// Names of tar entries made safe to join under a layer dir: leading slashes are dropped (an
// absolute name means "from the layer root", as GNU tar and docker treat it), "." parts vanish,
// and a name that climbs above the root with ".." is refused.
import path from 'node:path';
import { EngineError } from '../errors.js';

/** The entry's path relative to the layer root ('' for the root itself). */
export function entryPath(name: string, what = 'layer entry'): string {
  if (name.includes('\0')) throw new EngineError(`${what} ${JSON.stringify(name)}: name contains a NUL byte`, 'invalid');
  const relative = name.replace(/^\/+/, '');
  const normal = path.posix.normalize(relative === '' ? '.' : relative).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) {
    throw new EngineError(`${what} ${JSON.stringify(name)}: path leads outside the layer; refusing to extract it`, 'invalid');
  }
  return normal === '.' ? '' : normal;
}
