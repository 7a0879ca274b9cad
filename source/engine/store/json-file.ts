// Atomic JSON records: written to a temp file in the same directory, fsynced, renamed over the
// old one and the directory fsynced, so a crash at any instant leaves the old or the new file.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EngineError } from '../errors.js';

// Temp names carry this marker so `system check` can report leftovers of a crash.
export const TEMP_MARKER = '.tmp-';

export function tempNameFor(file: string, dir = path.dirname(file), base = path.basename(file)): string {
  return path.join(dir, `.${base}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface AtomicWriteOptions {
  mode?: number;
  // false: skip the directory fsync. For records that replace an existing file and whose loss
  // on power failure only means the previous version (container state is re-derived anyway).
  durableRename?: boolean;
  // false: no fsync at all. A kill still leaves the old or the new file (rename is atomic); only
  // a power cut can lose the write — for records that do not outlive one (a --rm container's).
  durable?: boolean;
  // where the temp file is made (same filesystem) and what it is called, when not beside the file
  temp?: { dir: string; base: string };
}

/** A written, synced temp file waiting to be renamed over its target. */
export interface PreparedWrite {
  rename(): void;
  syncDir(): void; // after rename(): makes the rename itself durable
  abort(): void;
}

export function prepareFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): PreparedWrite {
  const mode = options.mode ?? 0o644;
  const temp = tempNameFor(file, options.temp?.dir, options.temp?.base);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    try {
      fs.writeFileSync(fd, data);
      if (options.durable !== false) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  return {
    rename: () => {
      try {
        fs.renameSync(temp, file);
      } catch (err) {
        fs.rmSync(temp, { force: true });
        throw err;
      }
    },
    syncDir: () => { if (options.durable !== false && options.durableRename !== false) fsyncDir(path.dirname(file)); },
    abort: () => fs.rmSync(temp, { force: true }),
  };
}

export function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  commitTogether([prepareFileAtomic(file, data, options)]);
}

/**
 * Writes several files so that they change together as nearly as renames allow: every temp file
 * is written and synced first, then all are renamed back to back, then their directories synced.
 * A kill can only fall between two renames (microseconds), not between two fsyncs.
 */
export function commitTogether(writes: PreparedWrite[]): void {
  try {
    for (const w of writes) w.rename();
  } catch (err) {
    for (const w of writes) w.abort();
    throw err;
  }
  for (const w of writes) w.syncDir();
}

export function prepareJsonAtomic(file: string, value: unknown, options: AtomicWriteOptions = {}): PreparedWrite {
  return prepareFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}

export function writeJsonAtomic(file: string, value: unknown, options: AtomicWriteOptions = {}): void {
  commitTogether([prepareJsonAtomic(file, value, options)]);
}

export function readJson<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new EngineError(`${file} does not exist`, 'not-found');
    throw new EngineError(`cannot read ${file}: ${e.message}`, 'internal');
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new EngineError(`${file} is not valid JSON: ${(err as Error).message}`, 'internal');
  }
}

/** Like readJson, but undefined when the file does not exist (a record removed meanwhile). */
export function readJsonIfExists<T>(file: string): T | undefined {
  try {
    return readJson<T>(file);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'not-found') return undefined;
    throw err;
  }
}

/** Whether a write failed for want of space or writability (ENOSPC, EDQUOT, EROFS): a reader that
 * only meant to refresh a record goes on with what it knows; the next process writes it. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS';
}
