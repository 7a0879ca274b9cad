// What a strata process killed mid-create or mid-remove left of a container: its directory staged
// as <id>.creating-PID (with the names of the anonymous volumes it made, written before each
// was made), or renamed to <id>.removing-PID before the delete. Like the temp files of
// store/abandoned.ts, the next strata process finishes the job when it opens the store: a
// half-made container is removed, a half-removed one removed the rest of the way — with the
// anonymous volumes `rm -v` was asked to remove. A live process's leftovers are never touched.
import fs from 'node:fs';
import path from 'node:path';
import { removeTree } from '../../native.js';
import { processAlive } from '../store/abandoned.js';
import type { ContainerRecord } from '../api.js';
import { type ContainerPaths, INTERRUPTED_CONTAINER } from './paths.js';

/** The marker `rm -v` leaves in a container's directory before renaming it for removal. */
export function removeVolumesMarker(dir: string): string {
  return path.join(dir, 'remove-volumes');
}

function recordIn(dir: string): ContainerRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'container.json'), 'utf8')) as ContainerRecord;
  } catch {
    return undefined; // removed already, or never written
  }
}

export { INTERRUPTED_CONTAINER };

/** The file in a staged container's directory naming each anonymous volume its create makes,
 * written before the volume is: a create killed at any instant leaves no volume nobody names. */
export function newVolumesFile(dir: string): string {
  return path.join(dir, 'new-volumes');
}

export function newVolumesIn(dir: string): string[] {
  try {
    return fs.readFileSync(newVolumesFile(dir), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Removes the leftovers of dead processes' creates and removes; returns what was removed. */
export function finishInterruptedContainers(paths: ContainerPaths, removeAnonymousVolumes: (names: string[]) => void): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(paths.containersDir);
  } catch {
    return [];
  }
  const finished: string[] = [];
  for (const name of names) {
    const m = INTERRUPTED_CONTAINER.exec(name);
    if (!m) continue;
    const [, id, what, pid] = m;
    if (pid !== undefined && (Number(pid) === process.pid || processAlive(Number(pid)))) continue;
    const full = path.join(paths.containersDir, name);
    // a half-made container's new anonymous volumes are nobody's; rm -v's are to go
    if (what === 'creating' || fs.existsSync(removeVolumesMarker(full))) {
      const named = (recordIn(full)?.mounts ?? []).flatMap((m) => (m.type === 'volume' && m.anonymous && m.name ? [m.name] : []));
      removeAnonymousVolumes([...new Set([...named, ...(what === 'creating' ? newVolumesIn(full) : [])])]);
    }
    try {
      removeTree(full); // never into a mount left below it
    } catch {
      continue; // another strata process finishing it too, or a mount: `system check` reports it
    }
    if (what === 'removing') {
      fs.rmSync(paths.runDir(id), { recursive: true, force: true });
      fs.rmSync(paths.attachSocket(id), { force: true });
    }
    finished.push(full);
  }
  return finished;
}
