// Waits for a condition that a container's monitor brings about on its own time (a restart, a
// health result): probes until it answers a value, or fails naming what it waited for.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * A count once it has stopped changing (five equal samples 200 ms apart): what a hung-up stream
 * held is closed when the service notices, which a loaded machine delays, so a baseline is read
 * then rather than after a set time.
 */
export async function settledCount(count: () => number, timeoutMs = 120_000): Promise<number> {
  let last = count();
  let steady = 0;
  await until('a count to settle', timeoutMs, async () => {
    await sleep(200);
    const now = count();
    steady = now === last ? steady + 1 : 0;
    last = now;
    return steady >= 5 ? true : undefined;
  });
  return last;
}
