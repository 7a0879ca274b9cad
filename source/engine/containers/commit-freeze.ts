// A commit of a running container freezes it while it copies its files, and says so first with a
// marker in tmp/ (which every strata process reads when it opens the store): if the commit is
// killed while the container is frozen, the next strata process thaws it. Apart from commit.ts,
// so that opening the engine does not load the image code.
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../store/abandoned.js';

const FREEZE_MARKER = /^commit-freeze-(\d+)-([0-9a-f]{64})$/;

export function freezeMarker(tmpDir: string, id: string): string {
  return path.join(tmpDir, `commit-freeze-${process.pid}-${id}`);
}

/** Thaws the containers that commits killed mid-way left frozen; returns their ids. */
export function thawAfterKilledCommits(tmpDir: string, unpause: (id: string) => void): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return [];
  }
  const thawed: string[] = [];
  for (const name of names) {
    const m = FREEZE_MARKER.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    try {
      unpause(m[2]);
      thawed.push(m[2]);
    } catch { /* killed before it froze it, or the container exited or went since */ }
    fs.rmSync(path.join(tmpDir, name), { force: true });
  }
  return thawed;
}
