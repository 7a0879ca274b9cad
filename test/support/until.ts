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
