// Builds and commit against podman, measured in this one run on this machine: a cold 10-step
// build over busybox, a fully cached rebuild (CLI and in process), and commit of a container
// with 5,000 changed files. Prints ratios and writes bench/results-build.json.
// Run as root: `node --import tsx bench/build.ts` after `node scripts/build.mjs`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Engine } from '../source/engine/engine.js';
import { busyboxRootfsTar } from '../source/engine/demo.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const CLI = path.resolve('dist/strata.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-build-'));
const root = path.join(work, 'root');
const runtimeDir = path.join(work, 'run');
const podmanRoot = path.join(work, 'podman');
const BASE = 'localhost/bench/busybox:latest';
const ULIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const RUNS = Number(process.env.RUNS ?? 5);

const strataArgs = ['--root', root, '--runtime-dir', runtimeDir];
const podmanArgs = ['--root', path.join(podmanRoot, 'root'), '--runroot', path.join(podmanRoot, 'run'), '--runtime', 'runc', '--storage-driver', 'overlay'];

function timed(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}
const strata = (...args: string[]) => timed(process.execPath, [CLI, ...strataArgs, ...args]);
const podman = (...args: string[]) => timed('podman', [...podmanArgs, ...args]);
const podmanOut = (...args: string[]) => execFileSync('podman', [...podmanArgs, ...args], { encoding: 'utf8' }).trim();

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results: Record<string, { strataMs: number; peerMs: number; ratio: number; goal: string }> = {};
function report(name: string, ours: number[], peerName: string, peer: number[] | number, goal: string): void {
  const o = median(ours);
  const p = Array.isArray(peer) ? median(peer) : peer;
  results[name] = { strataMs: Math.round(o * 10) / 10, peerMs: Math.round(p * 10) / 10, ratio: Math.round((o / p) * 100) / 100, goal };
  console.log(`${name}: strata ${o.toFixed(1)} ms vs ${peerName} ${p.toFixed(1)} ms → ${(o / p).toFixed(2)}× (goal ${goal})`);
}

const DOCKERFILE = `FROM ${BASE}
ARG VERSION=1.0
ENV APP=/srv/app MODE=production
WORKDIR /srv/app
COPY files/ ./
RUN echo "$VERSION" > version && mkdir -p /var/cache/app
RUN for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i >> /var/cache/app/log; done
COPY run.sh /usr/local/bin/run
EXPOSE 8080
CMD ["run"]
`;

async function main(): Promise<void> {
  const ctx = path.join(work, 'ctx');
  fs.mkdirSync(path.join(ctx, 'files'), { recursive: true });
  for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(ctx, 'files', `f${i}.txt`), `file ${i}\n`.repeat(20));
  fs.writeFileSync(path.join(ctx, 'run.sh'), '#!/bin/sh\necho running\n', { mode: 0o755 });
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);
  const tar = path.join(work, 'busybox.tar');
  await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));

  const engine = new Engine({ root, runtimeDir });
  await engine.importImage(fs.createReadStream(tar), BASE, { changes: ['CMD ["sh"]'] });
  execFileSync('podman', [...podmanArgs, 'import', tar, BASE], { stdio: 'ignore' });
  const podmanBuild = ['build', '--isolation', 'chroot', ...ULIMITS, '-q'];

  // Warm both (page cache, podman's first-run setup), then cold builds: --no-cache each time.
  strata('build', '-q', '-t', 'bench/app:1', ctx);
  podman(...podmanBuild, '-t', 'bench/app:1', ctx);
  const coldOurs: number[] = [];
  const coldPeer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    coldOurs.push(strata('build', '-q', '--no-cache', '-t', 'bench/app:1', ctx));
    coldPeer.push(podman(...podmanBuild, '--no-cache', '-t', 'bench/app:1', ctx));
  }
  report('cold 10-step build (CLI)', coldOurs, 'podman build --isolation chroot', coldPeer, '≤ 0.7×');

  const cachedOurs: number[] = [];
  const cachedPeer: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    cachedOurs.push(strata('build', '-q', '-t', 'bench/app:1', ctx));
    cachedPeer.push(podman(...podmanBuild, '-t', 'bench/app:1', ctx));
  }
  report('fully cached rebuild (CLI)', cachedOurs, 'podman build (cached)', cachedPeer, '≤ 0.3×');

  const inProcess: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const start = performance.now();
    const r = await engine.build({ context: ctx, tags: ['bench/app:1'] });
    inProcess.push(performance.now() - start);
    if (r.cached !== r.steps - 1) throw new Error(`expected a fully cached rebuild, got ${r.cached} of ${r.steps}`);
  }
  report('fully cached rebuild (in process)', inProcess, 'absolute', 70, '< 70 ms');

  // Commit: a fresh stopped container with 5,000 new files for every measurement, on both sides.
  const fill = 'mkdir -p /d; i=0; while [ $i -lt 5000 ]; do echo "file $i" > /d/f$i; i=$((i+1)); done';
  const commitOurs: number[] = [];
  const commitPeer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    strata('run', '--name', `fill${i}`, BASE, 'sh', '-c', fill);
    commitOurs.push(strata('commit', `fill${i}`, `bench/commit:${i}`));
    podman('run', ...ULIMITS, '--net', 'none', '--name', `fill${i}`, BASE, 'sh', '-c', fill);
    commitPeer.push(podman('commit', '-q', `fill${i}`, `bench/commit:${i}`));
  }
  report('commit, 5k changed files (CLI)', commitOurs, 'podman commit', commitPeer, '≤ 0.5×');

  const out = { date: new Date().toISOString(), cpus: os.cpus().length, kernel: os.release(), runs: RUNS, results };
  fs.writeFileSync(path.resolve('bench/results-build.json'), `${JSON.stringify(out, null, 2)}\n`);
  for (const c of await engine.listContainers(true)) await engine.removeContainer(c.id, true);
  await engine.close();
  podmanOut('rm', '-a', '-f');
}

try {
  await main();
} finally {
  spawnSync('podman', [...podmanArgs, 'system', 'reset', '--force'], { stdio: 'ignore' });
  await releaseNetworksUnder(work); // this run's bridges and nft tables
  fs.rmSync(work, { recursive: true, force: true });
}
