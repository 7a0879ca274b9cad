// An advisory lock on a file shared by every strata process. Taken without blocking the
// event loop: a busy lock is retried after a short sleep, so the TUI never freezes on it.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { flock } from '../../native.js';

export async function withFileLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    let delay = 1;
    while (!flock(fd, true, true)) {
      await sleep(delay);
      delay = Math.min(delay * 2, 20);
    }
    return await fn();
  } finally {
    fs.closeSync(fd); // closing drops the flock
  }
}
