// Leftovers of strata processes that died mid-write (a SIGKILL during a pull, an import or a
// build): temp blobs in tmp/, a build's staging and script dirs (tmp/build-PID-…,
// tmp/build-script-PID-…), half-extracted layers in layers/tmp-… and the temp files of atomic
// record writes (store/json-file.ts: .NAME.tmp-PID-…) in containers/ and images/ (image records,
// repositories.json: a commit, tag or prune killed mid-write), named with the writer's pid.
// Removed when a strata process opens the store, as a daemon would on start; a live writer's
// files are never touched, so this is safe while other strata processes work.
import fs from 'node:fs';
import path from 'node:path';
import type { StorePaths } from './paths.js';

const OWNER = /^(?:blob|tmp(?:-rm)?|build|build-script)-(\d+)-[0-9a-f]+$/;
const RECORD_TEMP = /^\..+\.tmp-(\d+)-[0-9a-f]+$/;

/** Whether the process that named a leftover after itself still runs (EPERM: it does, not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp entries whose writing process is gone; returns what was removed. */
export function removeAbandonedTemps(paths: StorePaths): string[] {
  const removed: string[] = [];
  for (const [dir, owner] of [[paths.tmpDir, OWNER], [paths.layersDir, OWNER], [paths.containersDir, RECORD_TEMP], [paths.imagesDir, RECORD_TEMP]] as const) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = owner.exec(name);
      if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
