// The read-only way to list containers, for `strata ps`: it loads only what reading records
// needs (no image store, no native addon, no tar or network code), because `ps` must start
// nearly as fast as `node -e 0`. When a record is out of date (a container exited unseen, a
// detached --rm waits for removal, a killed create or rm left its directory) it answers undefined and the caller asks the full engine,
// which rewrites records under its locks.
import fs from 'node:fs';
import type { ContainerSummary, EngineOptions } from './api.js';
import { ListIndex, readListedRecord } from './containers/list-index.js';
import { ContainerPaths, INTERRUPTED_CONTAINER } from './containers/paths.js';
import { processAlive } from './store/abandoned.js';
import { reconcile, startedSinceExit } from './containers/state.js';
import { listedSummary, newestFirst } from './containers/summary.js';
import { abandonedBuildStep } from './containers/build-steps.js';

export function listContainersReadOnly(options: EngineOptions, all: boolean): ContainerSummary[] | undefined {
  const paths = new ContainerPaths(options.root, options.runtimeDir);
  const dir = fs.statSync(paths.containersDir, { throwIfNoEntry: false });
  if (!dir) return undefined; // no store yet: the engine creates it
  // no runtime dir yet when no container has run since boot; asked first, as a thrown ENOENT
  // costs `ps` more than the question
  const runDirs = paths.runDirs();
  let running: string[] = [];
  try {
    if (fs.existsSync(runDirs)) running = fs.readdirSync(runDirs);
  } catch { /* removed meanwhile */ }
  const withRunDir = new Set(running);
  // records are read here rather than through RecordStore: its module brings the atomic
  // writer (and node:crypto) into `ps`, measurably
  const index = new ListIndex(paths.listIndex(), paths.root, dir);
  let records = index.whole();
  if (!records) {
    records = [];
    for (const id of fs.readdirSync(paths.containersDir)) {
      if (!/^[0-9a-f]{64}$/.test(id)) {
        const interrupted = INTERRUPTED_CONTAINER.exec(id);
        if (!interrupted) continue;
        // a dead process's half-made or half-removed container: the engine finishes it first
        // (docker's daemon would have); a live one's is not trusted to the index while it works
        if (interrupted[3] === undefined || !processAlive(Number(interrupted[3]))) return undefined;
        index.incomplete();
        continue;
      }
      const record = index.get(id, paths.record(id));
      if (!record) return undefined;
      records.push(record);
    }
  }
  const out: ContainerSummary[] = [];
  const now = Date.now();
  for (let record of records) {
    // a start under way, or cut short: the index keeps no boot id or cgroups for a created or
    // exited container, and reconcile() needs them when it has a pid file
    if (withRunDir.has(record.id) && (record.state.status === 'created' || startedSinceExit(record, paths))) {
      const full = readListedRecord(paths.record(record.id));
      if (!full) return undefined;
      record = full;
    }
    if (reconcile(record, paths, withRunDir).changed) return undefined;
    if (abandonedBuildStep(record.labels)) return undefined; // the engine removes it first
    if (record.autoRemove && record.state.status === 'exited') return undefined;
    if (all || record.state.running) out.push(listedSummary(record, now));
  }
  index.save();
  return newestFirst(out);
}
