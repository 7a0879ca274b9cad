// The Debian bookworm buildpack-deps images (docker-library/buildpack-deps: `curl`, then `scm`
// FROM it), built by strata and by podman from one debootstrap rootfs, in this one run: cold
// builds (nothing cached) and fully cached rebuilds of `curl`, medians, ratios; then both
// sides' `curl` and `scm` images compared file by file. Prints and writes
// bench/results-buildpack-deps.json. The containers reach the Debian mirror. The images are
// compared as saved (docker-archive, layers applied in order), less the build noise and
// podman's empty RUN stubs listed in test/support/buildpack-deps.ts.
// Run as root: `node --import tsx bench/buildpack-deps.ts` after `node scripts/build.mjs`
// (RUNS=3 by default: a cold build is ~1–2 minutes on each side here).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { debianRootfsTar } from '../test/support/debian-rootfs.js';
import { BUILDPACK_DEPS, BUILD_NOISE, DEBIAN_BASE, describeNoise, withoutPodmanStubs } from '../test/support/buildpack-deps.js';
import { describeDiff, diffTrees, treeOfSavedImage } from '../test/support/image-tree.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const CLI = path.resolve('dist/strata.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-bpd-'));
const RUNS = Number(process.env.RUNS ?? 3);
const strataArgs = ['--root', path.join(work, 'root'), '--runtime-dir', path.join(work, 'run')];
const podmanArgs = ['--root', path.join(work, 'podman/root'), '--runroot', path.join(work, 'podman/run'), '--runtime', 'runc', '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
// podman's RUN steps as in bench/build.ts: chroot isolation (host network), this host's ulimits
const PODMAN_BUILD = ['build', '--isolation', 'chroot', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--format', 'docker', '-q'];

// as a user's shell runs them: without this session's NODE_EXTRA_CA_CERTS (see bench/run.ts)
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

function run(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, env: userEnv });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-3000)}`);
  return performance.now() - start;
}
const strata = (...args: string[]) => run(process.execPath, [CLI, ...strataArgs, ...args]);
const podman = (...args: string[]) => run('podman', [...podmanArgs, ...args]);

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const results: Record<string, unknown> = {};
function report(name: string, ours: number[], peer: number[], goal: string): void {
  const o = median(ours);
  const p = median(peer);
  results[name] = { strataMs: Math.round(o), podmanMs: Math.round(p), ratio: Math.round((o / p) * 100) / 100, runs: ours.length, goal };
  console.log(`${name}: strata ${(o / 1000).toFixed(2)} s vs podman ${(p / 1000).toFixed(2)} s → ${(o / p).toFixed(2)}× (goal ${goal}; ${ours.length} runs each, medians)`);
}

async function compare(image: string): Promise<void> {
  const mine = path.join(work, `${image.replace(/\W/g, '_')}-strata.tar`);
  const theirs = path.join(work, `${image.replace(/\W/g, '_')}-podman.tar`);
  strata('save', '-o', mine, image);
  podman('save', '--format', 'docker-archive', '-o', theirs, image);
  const a = await treeOfSavedImage(mine, path.join(work, 'strata-image'));
  const b = await treeOfSavedImage(theirs, path.join(work, 'podman-image'));
  const d = diffTrees(a, withoutPodmanStubs(b), (p) => BUILD_NOISE.some((n) => n.test(p)));
  const noisy = [...a.keys()].filter((p) => BUILD_NOISE.some((n) => n.test(p))).length;
  const same = d.onlyLeft.length + d.onlyRight.length + d.differ.length === 0;
  results[`${image} files`] = { strata: a.size, podman: b.size, bytesNotCompared: noisy, identical: same };
  if (!same) process.exitCode = 1;
  console.log(`${image}: ${a.size} files (strata) vs ${b.size} (podman), bytes of ${noisy} not compared (build noise): ${same ? 'identical' : `DIFFERENT\n${describeDiff(d, 'strata', 'podman')}`}`);
  fs.rmSync(mine);
  fs.rmSync(theirs);
}

async function main(): Promise<void> {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`load average at start: ${load}`);
  const base = debianRootfsTar();
  strata('import', base, DEBIAN_BASE);
  podman('import', base, DEBIAN_BASE);
  const ctx = (name: keyof typeof BUILDPACK_DEPS) => {
    const dir = path.join(work, 'ctx', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), BUILDPACK_DEPS[name]);
    return dir;
  };
  const curl = ctx('curl');
  const scm = ctx('scm');
  const tag = 'localhost/bench/buildpack-deps:bookworm-curl';

  const coldOurs: number[] = [];
  const coldPeer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    coldOurs.push(strata('build', '-q', '--no-cache', '-t', tag, curl));
    coldPeer.push(podman(...PODMAN_BUILD, '--no-cache', '-t', tag, curl));
  }
  report('buildpack-deps:bookworm-curl cold build (--no-cache)', coldOurs, coldPeer, '≤ 0.8×');
  const cachedOurs: number[] = [];
  const cachedPeer: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    cachedOurs.push(strata('build', '-q', '-t', tag, curl));
    cachedPeer.push(podman(...PODMAN_BUILD, '-t', tag, curl));
  }
  report('buildpack-deps:bookworm-curl fully cached rebuild', cachedOurs, cachedPeer, '≤ 0.3×');

  const scmOurs = strata('build', '-q', '-t', 'localhost/bench/buildpack-deps:bookworm-scm', scm);
  const scmPeer = podman(...PODMAN_BUILD, '-t', 'localhost/bench/buildpack-deps:bookworm-scm', scm);
  report('buildpack-deps:bookworm-scm build on curl (one run)', [scmOurs], [scmPeer], '—');

  await compare(tag);
  await compare('localhost/bench/buildpack-deps:bookworm-scm');
  console.log(`build noise (bytes not compared; type, mode, owner, size still are):\n${describeNoise()}`);
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const out = { date: new Date().toISOString(), cpus: os.cpus().length, kernel: os.release(), loadAtStart: load, runs: RUNS, results };
  fs.writeFileSync(path.resolve('bench/results-buildpack-deps.json'), `${JSON.stringify(out, null, 2)}\n`);
}

try {
  await main();
} finally {
  spawnSync('podman', [...podmanArgs, 'system', 'reset', '--force'], { stdio: 'ignore' });
  spawnSync(process.execPath, [CLI, ...strataArgs, 'system', 'prune', '-a', '-f'], { stdio: 'ignore' });
  await releaseNetworksUnder(work);
  execFileSync('sh', ['-c', `grep -o " ${work}[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l`], { stdio: 'ignore' });
  fs.rmSync(work, { recursive: true, force: true });
}
