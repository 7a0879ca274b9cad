// Advisory locks (flock) on files shared by every strata process on the same root: the store's
// lock and ingest lease, a container's lock and the names lock, the networks' locks. Async
// waits never block the event loop: a busy lock is retried with a short back-off. The store's
// locks are re-entrant within one async call chain, so a helper that locks may be called from
// code that already holds the lock.
import fs from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { flock } from '../../native.js';
import { EngineError } from '../errors.js';
import type { StorePaths } from './paths.js';

type Mode = 'shared' | 'exclusive';
const held = new AsyncLocalStorage<ReadonlyMap<string, Mode>>();

function openLockFile(file: string): number {
  return fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
}

async function acquire(file: string, exclusive: boolean): Promise<number> {
  const fd = openLockFile(file);
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
  const fd = openLockFile(file);
  try {
    if (!flock(fd, mode === 'exclusive', true)) return undefined;
    const next = new Map(held.getStore() ?? []);
    next.set(file, mode);
    return { value: await held.run(next, fn) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An exclusive lock that is not re-entrant (a container's, the names lock): its holders emit
 * events and start attach streams, whose callbacks must not inherit a hold that has ended.
 */
export async function withNonReentrantLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  const fd = await acquire(file, true);
  try {
    return await fn();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An exclusive lock waited for by blocking the thread, for networking's short critical sections
 * (bring a bridge up, allocate an address, tear down): its teardown runs from synchronous state
 * refreshes, and every section is a few tool calls long.
 */
export function withFileLockSync<T>(file: string, fn: () => T): T {
  const fd = openLockFile(file);
  try {
    flock(fd, true, false);
    return fn();
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
