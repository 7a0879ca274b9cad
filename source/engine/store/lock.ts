// Advisory locks (flock) shared by every strata process on the same root. Waiting never blocks
// the event loop: a busy lock is retried with a short back-off. Re-entrant within one async
// call chain, so a helper that locks may be called from code that already holds the lock.
import fs from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { flock } from '../../native.js';
import { EngineError } from '../errors.js';
import type { StorePaths } from './paths.js';

type Mode = 'shared' | 'exclusive';
const held = new AsyncLocalStorage<ReadonlyMap<string, Mode>>();

async function acquire(file: string, exclusive: boolean): Promise<number> {
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    let delay = 1;
    while (!flock(fd, exclusive, true)) {
      await sleep(delay);
      delay = Math.min(delay * 2, 25);
    }
    return fd;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

export async function withFileLock<T>(file: string, mode: Mode, fn: () => Promise<T> | T): Promise<T> {
  const current = held.getStore();
  const already = current?.get(file);
  if (already === 'exclusive' || (already === 'shared' && mode === 'shared')) return fn();
  if (already === 'shared') throw new EngineError(`cannot upgrade the shared lock on ${file} to exclusive`, 'internal');
  const fd = await acquire(file, mode === 'exclusive');
  try {
    const next = new Map(current ?? []);
    next.set(file, mode);
    return await held.run(next, fn);
  } finally {
    fs.closeSync(fd); // closing the descriptor drops the flock
  }
}

// Takes the lock only if it is free at once; undefined when another holder has it.
export async function tryWithFileLock<T>(file: string, mode: Mode, fn: () => Promise<T> | T): Promise<{ value: T } | undefined> {
  const already = held.getStore()?.get(file);
  if (already === 'exclusive' || (already === 'shared' && mode === 'shared')) return { value: await fn() };
  if (already === 'shared') return undefined;
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    if (!flock(fd, mode === 'exclusive', true)) return undefined;
    const next = new Map(held.getStore() ?? []);
    next.set(file, mode);
    return { value: await held.run(next, fn) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Exclusive store lock around a mutation of blobs/, layers/ or images/. */
export function withLock<T>(paths: StorePaths, fn: () => Promise<T> | T): Promise<T> {
  return withFileLock(paths.lockFile, 'exclusive', fn);
}

/** Shared store lock for readers that need several files to agree (check, GC-sensitive reads). */
export function withSharedLock<T>(paths: StorePaths, fn: () => Promise<T> | T): Promise<T> {
  return withFileLock(paths.lockFile, 'shared', fn);
}

/** Marks an ingest in progress: content written now is not garbage until the ingest ends. */
export function withIngestLease<T>(paths: StorePaths, fn: () => Promise<T> | T): Promise<T> {
  return withFileLock(paths.ingestLockFile, 'shared', fn);
}

/** Runs fn only when no ingest is in progress anywhere (for GC and leftover-temp checks). */
export function whenNoIngest<T>(paths: StorePaths, fn: () => Promise<T> | T): Promise<{ value: T } | undefined> {
  return tryWithFileLock(paths.ingestLockFile, 'exclusive', fn);
}
