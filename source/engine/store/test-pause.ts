// A pause at a named point, for the tests that SIGKILL a strata process at a moment too short to
// hit by timing (a rename and the next step): with STRATA_TEST_PAUSE=POINT the process creates
// the file STRATA_TEST_PAUSE_FILE and sleeps there (60 s) for the test to kill it. Unset: nothing.
import fs from 'node:fs';

export function pauseForTest(point: string): void {
  if (process.env.STRATA_TEST_PAUSE !== point || !process.env.STRATA_TEST_PAUSE_FILE) return;
  fs.writeFileSync(process.env.STRATA_TEST_PAUSE_FILE, String(process.pid));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
