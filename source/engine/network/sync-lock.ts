// A blocking flock for the short critical sections of networking (bring a bridge up, allocate
// an address, tear down). Synchronous because teardown runs from synchronous state refreshes;
// every section is a few tool calls long.
import fs from 'node:fs';
import { flock } from '../../native.js';

export function withLockSync<T>(file: string, fn: () => T): T {
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    flock(fd, true, false);
    return fn();
  } finally {
    fs.closeSync(fd);
  }
}
