// save/load on a big image, beside podman doing the same in this run on this machine.
// The image is /usr/share (plus a static busybox) as one layer: tens of thousands of files,
// hundreds of MB. Prints ratios; writes bench/results-archive.json.
// Run as root: `node --import tsx bench/archive.ts` (needs podman; `node scripts/build.mjs` first).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const CLI = path.resolve('dist/strata.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SOURCE = process.env.BENCH_TREE ?? '/usr/share';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-archive-'));
const IMAGE = 'bench/big:1';

function timed(cmd: string, args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const strata = (dir: string, args: string[]): [string, string[]] => ['node', [CLI, '--root', path.join(dir, 'root'), '--runtime-dir', path.join(dir, 'run'), ...args]];
const podman = (dir: string, args: string[]): [string, string[]] => ['podman', ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--storage-driver', 'overlay', '--runtime', 'runc', '--events-backend', 'none', ...args]];

function main(): void {
  const rootfs = path.join(work, 'rootfs.tar');
  execFileSync('tar', ['-cf', rootfs, '-C', '/', SOURCE.replace(/^\//, ''), 'bin/busybox']);
  const sizeMb = fs.statSync(rootfs).size / 1e6;
  const files = Number(execFileSync('sh', ['-c', `tar -tf ${rootfs} | wc -l`], { encoding: 'utf8' }).trim());
  console.log(`image: ${SOURCE} as one layer, ${sizeMb.toFixed(0)} MB, ${files} entries; ${RUNS} runs each, medians`);

  const ours = path.join(work, 'strata');
  const theirs = path.join(work, 'podman');
  execFileSync(...strata(ours, ['import', rootfs, IMAGE]), { stdio: 'ignore' });
  execFileSync(...podman(theirs, ['import', rootfs, IMAGE]), { stdio: 'ignore' });

  const results: Record<string, { strataMs: number; podmanMs: number; ratio: number }> = {};
  const measure = (label: string, ourRun: (i: number) => number, theirRun: (i: number) => number) => {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(ourRun(i));
      b.push(theirRun(i));
    }
    const row = { strataMs: median(a), podmanMs: median(b), ratio: median(a) / median(b) };
    results[label] = row;
    console.log(`${label}: strata ${row.strataMs.toFixed(0)} ms vs podman ${row.podmanMs.toFixed(0)} ms → ${row.ratio.toFixed(2)}×`);
  };

  measure('save -o (docker archive)',
    (i) => timed(...strata(ours, ['save', '-o', path.join(work, `s${i}.tar`), IMAGE])),
    (i) => timed(...podman(theirs, ['save', '-o', path.join(work, `p${i}.tar`), IMAGE])));
  measure('load -i into an empty store',
    (i) => {
      const dir = path.join(work, `load-s${i}`);
      const ms = timed(...strata(dir, ['load', '-i', path.join(work, 's0.tar')]));
      fs.rmSync(dir, { recursive: true, force: true });
      return ms;
    },
    (i) => {
      const dir = path.join(work, `load-p${i}`);
      const ms = timed(...podman(dir, ['load', '-i', path.join(work, 's0.tar')]));
      spawnSync(...podman(dir, ['rmi', '-a', '-f']), { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
      return ms;
    });

  fs.writeFileSync(path.resolve('bench/results-archive.json'), `${JSON.stringify({ when: new Date().toISOString(), image: { source: SOURCE, sizeMb, files }, runs: RUNS, results }, null, 2)}\n`);
}

try {
  main();
} finally {
  spawnSync(...podman(path.join(work, 'podman'), ['rmi', '-a', '-f']), { stdio: 'ignore' });
  await releaseNetworksUnder(work); // this run's bridges and nft tables
  fs.rmSync(work, { recursive: true, force: true });
}
