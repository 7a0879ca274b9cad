// What a strata process killed mid-create or mid-remove left of a container: its directory staged
// as <id>.creating-PID, or renamed to <id>.removing-PID before the delete. Like the temp files of
// store/abandoned.ts, the next strata process finishes the job when it opens the store: a
// half-made container is removed, a half-removed one removed the rest of the way — with the
// anonymous volumes `rm -v` was asked to remove. A live process's leftovers are never touched.
import fs from 'node:fs';
import path from 'node:path';
import { removeTree } from '../../native.js';
import { processAlive } from '../store/abandoned.js';
import type { ContainerRecord } from '../api.js';
import type { ContainerPaths } from './paths.js';

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

// without a pid: the names of versions that did not say whose they were
export const INTERRUPTED_CONTAINER = /^([0-9a-f]{64})\.(creating|removing)(?:-(\d+))?$/;

/** Removes the leftovers of dead processes' creates and removes; returns what was removed. */
export function finishInterruptedContainers(paths: ContainerPaths, removeAnonymousVolumes: (record: ContainerRecord) => void): string[] {
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
      const record = recordIn(full);
      if (record) removeAnonymousVolumes(record);
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
