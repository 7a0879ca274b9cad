// `--restart always`: how soon a container whose process exited runs again, against docker's
// first back-off (100 ms) plus a start's time measured in this same run. Both are timed up to
// the moment the container's process touches a file in a bind-mounted host directory, seen
// through inotify: a start from `startContainer` to its first touch; a restart from the first
// run's touch just before `exit 1` to the second run's touch. Default bridge network, in
// process (no CLI start-up on either side). Prints the medians; writes bench/results-restart.json.
// Run as root: `node --import tsx bench/restart.ts` (RUNS=15 by default).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Engine } from '../source/engine/engine.js';
import { busyboxRootfsTar } from '../source/engine/demo.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-restart-'));
const RUNS = Number(process.env.RUNS ?? 15);
const IMAGE = 'bench/busybox:latest';
const FIRST_BACKOFF_MS = 100; // docker's restart manager: 100 ms, doubled after each quick exit

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Resolves with performance.now() when `name` appears in dir (or already has). */
function appears(dir: string, name: string, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(dir, (_event, file) => {
      if (file === name) finish();
    });
    const timer = setTimeout(() => { watcher.close(); reject(new Error(`${name} did not appear in ${dir}`)); }, timeoutMs);
    function finish(): void {
      const at = performance.now();
      clearTimeout(timer);
      watcher.close();
      resolve(at);
    }
    if (fs.existsSync(path.join(dir, name))) finish();
  });
}

async function main(): Promise<void> {
  const engine = new Engine({ root: path.join(work, 'root'), runtimeDir: path.join(work, 'run') });
  const tar = path.join(work, 'busybox.tar');
  await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
  await engine.importImage(fs.createReadStream(tar), IMAGE, { changes: ['CMD ["sh"]'] });
  const loadStart = os.loadavg()[0];
  const starts: number[] = [];
  const restarts: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    // a plain start
    const plain = fs.mkdtempSync(path.join(work, 'out-'));
    const a = await engine.createContainer({ image: IMAGE, cmd: ['sh', '-c', 'touch /out/up; exec sleep 1000'], mounts: [{ type: 'bind', source: plain, target: '/out' }] });
    const up = appears(plain, 'up');
    const t0 = performance.now();
    await engine.startContainer(a.id);
    const t1 = await up;
    await engine.removeContainer(a.id, true);
    // an always container whose first run exits at once
    const out = fs.mkdtempSync(path.join(work, 'out-'));
    const script = 'if [ -e /out/ran ]; then touch /out/again; exec sleep 1000; fi; touch /out/ran; exit 1';
    const b = await engine.createContainer({ image: IMAGE, cmd: ['sh', '-c', script], mounts: [{ type: 'bind', source: out, target: '/out' }], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    const ran = appears(out, 'ran');
    const again = appears(out, 'again');
    await engine.startContainer(b.id);
    const r0 = await ran;
    const r1 = await again;
    await engine.removeContainer(b.id, true);
    if (i === 0) continue; // warm-up: page cache, the bridge's first set-up
    starts.push(t1 - t0);
    restarts.push(r1 - r0);
  }
  await engine.close();
  const start = median(starts);
  const restart = median(restarts);
  const goal = FIRST_BACKOFF_MS + start;
  console.log(`load average: ${loadStart.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end`);
  console.log(`start (startContainer → process ran), median of ${RUNS}: ${start.toFixed(1)} ms`);
  console.log(`restart of an always container (exit → process ran again), median of ${RUNS}: ${restart.toFixed(1)} ms (min ${Math.min(...restarts).toFixed(1)}, max ${Math.max(...restarts).toFixed(1)})`);
  console.log(`→ ${(restart / goal).toFixed(2)}× of ${FIRST_BACKOFF_MS} ms + a start (${goal.toFixed(1)} ms) (goal ≤ 1×)`);
  const results = { startMs: Math.round(start * 10) / 10, restartMs: Math.round(restart * 10) / 10, goalMs: Math.round(goal * 10) / 10, ratio: Math.round((restart / goal) * 100) / 100, runs: RUNS };
  fs.writeFileSync(path.resolve('bench/results-restart.json'), `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, kernel: os.release(), load: loadStart, results }, null, 2)}\n`);
}

try {
  await main();
} finally {
  await releaseNetworksUnder(work);
  fs.rmSync(work, { recursive: true, force: true });
}
