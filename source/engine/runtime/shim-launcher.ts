// Starts `strata-shim run` and reads its status lines (fd 3). The shim detaches itself,
// so the container outlives this process; the pipe only tells us how the start went and,
// while we keep listening, when the container exits.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { parseStatusLine, shimPath, type ShimStatusLine } from '../../native.js';

export type ShimStatus = ShimStatusLine;

export interface ShimSession {
  next(): Promise<ShimStatus | undefined>; // undefined: the pipe closed
  close(): void;
}

export function launchShim(specPath: string): ShimSession {
  const child = spawn(shimPath, ['run', specPath], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const status = child.stdio[3] as Readable;
  const stderr = child.stderr as Readable;
  let stderrText = '';
  stderr.setEncoding('utf8');
  stderr.on('data', (d: string) => { stderrText += d; });
  child.on('error', () => { /* reported through the closed pipe below */ });

  const queue: ShimStatus[] = [];
  const waiters: Array<(s: ShimStatus | undefined) => void> = [];
  let buffered = '';
  let closed = false;

  const deliver = (s: ShimStatus | undefined) => {
    const w = waiters.shift();
    if (w) w(s);
    else if (s) queue.push(s);
  };
  status.setEncoding('utf8');
  status.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const parsed = parseStatusLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (parsed) deliver(parsed);
    }
  });
  const onClose = () => {
    if (closed) return;
    closed = true;
    // The shim could not even start (missing binary, bad spec): say what it printed.
    if (queue.length === 0 && waiters.length > 0 && stderrText.trim()) {
      deliver({ kind: 'error', code: 125, message: stderrText.trim().split('\n').pop()! });
    }
    while (waiters.length) waiters.shift()!(undefined);
  };
  status.on('close', onClose);
  status.on('error', onClose);

  return {
    next() {
      const s = queue.shift();
      if (s) return Promise.resolve(s);
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      status.destroy();
      stderr.destroy();
      child.unref();
    },
  };
}
