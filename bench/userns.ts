// Start of a container with --userns=auto (a user namespace, its maps, the root remounted on
// idmapped layers, binds attached as detached mounts) beside the same start without one, measured
// alternately in this one run. Prints the medians, the difference and the ratio (goal: within
// +3 ms). Run as root: `node --import tsx bench/userns.ts [runs]`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../source/engine/engine.js';
import { busyboxRootfsTar } from '../source/engine/demo.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const IMAGE = 'strata/busybox:latest';
const runs = Number(process.argv[2] ?? 30);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-userns-'));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function startMs(engine: Engine, userns: 'auto' | 'host'): Promise<number> {
  const c = await engine.createContainer({ image: IMAGE, cmd: ['true'], network: 'none', userns });
  const t0 = performance.now();
  await engine.startContainer(c.id);
  const took = performance.now() - t0;
  await engine.waitContainer(c.id);
  await engine.removeContainer(c.id, true);
  return took;
}

async function main(): Promise<void> {
  const engine = new Engine({ root: path.join(work, 'root'), runtimeDir: path.join(work, 'run') });
  try {
    await engine.importImage(busyboxRootfsTar(), IMAGE, { changes: ['CMD ["sh"]'] });
    for (let i = 0; i < 3; i++) { await startMs(engine, 'host'); await startMs(engine, 'auto'); } // warm-up
    const plain: number[] = [];
    const userns: number[] = [];
    for (let i = 0; i < runs; i++) { // alternated, so that load on the machine hits both alike
      plain.push(await startMs(engine, 'host'));
      userns.push(await startMs(engine, 'auto'));
    }
    const a = median(plain);
    const b = median(userns);
    console.log(`start (create not counted, --network none), median of ${runs}: --userns=host ${a.toFixed(2)} ms, --userns=auto ${b.toFixed(2)} ms`);
    console.log(`--userns=auto vs none: +${(b - a).toFixed(2)} ms → ${(b / a).toFixed(2)}× (goal: within +3 ms)`);
  } finally {
    await engine.close();
    await releaseNetworksUnder(work);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
