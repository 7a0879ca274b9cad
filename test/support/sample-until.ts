// Samples a measurement until it shows what the test waits for, or the time is up. On a loaded
// machine a busy loop gets its share of the CPU late, not never: a single fixed-length window
// would make a CPU figure a guess about the machine's load, not a check of strata.
import { setTimeout as sleep } from 'node:timers/promises';

export async function sampleUntil<T>(
  sample: () => T | Promise<T>,
  accept: (value: T) => boolean,
  { everyMs = 250, timeoutMs = 20_000 }: { everyMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sleep(everyMs);
    const value = await sample();
    if (accept(value) || Date.now() >= deadline) return value;
  }
}
