// Registry figures: pull and push of a ~200 MB image in ~20k files, strata beside podman and
// skopeo, all in this one run against the same docker-registry on 127.0.0.1. Prints ratios.
// Run as root: `node --import tsx bench/registry.ts` (needs podman, skopeo, docker-registry and
// a built dist/strata.js). Everything it creates lives under one temp dir and is removed.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRegistry, type RegistryServer } from '../test/engine/registry/registry-server.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const CLI = path.resolve(process.env.STRATA_CLI ?? 'dist/strata.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3); // a multiple of 3 puts each puller in each place equally
const FILES = 20_000;
const LAYERS = 4;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-registry-'));
const registries: RegistryServer[] = [];
let podmanGraph = 0;

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

// CPU time (user + system) of the children this process has waited for, from /proc/self/stat:
// a figure the other helpers' load on this shared machine disturbs less than wall time.
function childCpuMs(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime, cstime in USER_HZ (100)
}

const cpu: Record<string, number[]> = {};

function timed(fn: () => void, name: string): number {
  const cpuStart = childCpuMs();
  const start = process.hrtime.bigint();
  fn();
  (cpu[name] ??= []).push(childCpuMs() - cpuStart);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function dropCaches(): void {
  spawnSync('sync');
}

// Every run's pulls land on a fresh ext4 filesystem of their own (a sparse file on a loop
// device, with a journal as a usual install has). This VM's disk is ext4 without a journal,
// where the first 20k files created after a big deletion took 4–5× the system time of the next
// 20k (measured with a Python loop: 1.1–1.6 s vs 0.3 s, after waits of 36 s and 90 s alike), so
// on the shared disk whoever pulled first in a run paid for the previous run's removals.
function freshFilesystem(run: number): string {
  const image = path.join(work, `fs-${run}.img`);
  const mountpoint = path.join(work, `fs-${run}`);
  fs.mkdirSync(mountpoint);
  sh('truncate', ['-s', '4G', image]);
  sh('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]); // no zeroing behind the pulls
  sh('mount', ['-o', 'loop', image, mountpoint]);
  return mountpoint;
}

function removeFilesystem(mountpoint: string): void {
  for (const name of fs.readdirSync(mountpoint)) if (/^podman-\d+$/.test(name)) removePodman(path.join(mountpoint, name)); // its mounts hold the filesystem busy
  spawnSync('umount', [mountpoint]); // a loop mount frees its loop device on unmount
  fs.rmSync(`${mountpoint}.img`, { force: true });
  fs.rmSync(mountpoint, { recursive: true, force: true });
}

/** ~200 MB in ~20k files: half random bytes, half text, 1–20 KB each, spread over LAYERS folders. */
function makeTree(dir: string): number {
  const words = 'the quick brown fox jumps over a lazy dog while strata pulls layers from the registry'.split(' ');
  let total = 0;
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(dir, `part${i % LAYERS}`, `d${Math.floor(i / 200)}`);
    if (i % 200 < LAYERS) fs.mkdirSync(folder, { recursive: true });
    const size = 1024 + Math.floor(Math.random() * 19 * 1024);
    let data: Buffer;
    if (i % 2 === 0) data = crypto.randomBytes(size);
    else {
      const parts: string[] = [];
      let n = 0;
      while (n < size) {
        const w = words[(i + n) % words.length];
        parts.push(w);
        n += w.length + 1;
      }
      data = Buffer.from(parts.join(' ').slice(0, size));
    }
    fs.writeFileSync(path.join(folder, `f${i}.${i % 2 === 0 ? 'bin' : 'txt'}`), data);
    total += data.length;
  }
  return total;
}

function podman(graph: string, args: string[]): void {
  sh('podman', ['--root', path.join(graph, 'root'), '--runroot', podmanRunroot(graph), '--storage-driver', 'overlay', '--runtime', 'runc', ...args]);
}

// podman refuses a runroot path of over 50 characters: it stays on the short temp dir
function podmanRunroot(graph: string): string {
  return path.join(work, `${path.basename(graph)}-run`);
}

function freshPodman(under = work): string {
  const graph = path.join(under, `podman-${podmanGraph++}`);
  fs.mkdirSync(graph);
  return graph;
}

function removePodman(graph: string): void {
  // podman's overlay driver bind-mounts its own storage dir: unmount what lies under ours
  const runroot = podmanRunroot(graph);
  for (const m of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(`${graph}/`) || m?.startsWith(`${runroot}/`)).reverse()) spawnSync('umount', ['-l', m]);
  fs.rmSync(graph, { recursive: true, force: true });
  fs.rmSync(runroot, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is not built: run node scripts/build.mjs`);
  const registry = await startRegistry();
  registries.push(registry);
  const tree = path.join(work, 'tree');
  const bytes = makeTree(tree);
  const containerfile = ['FROM scratch', ...Array.from({ length: LAYERS }, (_, i) => `COPY part${i} /data/part${i}`)].join('\n');
  fs.writeFileSync(path.join(tree, 'Containerfile'), `${containerfile}\n`);
  const ref = `${registry.host}/bench/big:1`;
  const builder = freshPodman();
  podman(builder, ['build', '-q', '--layers', '-t', ref, tree]);
  podman(builder, ['push', '--tls-verify=false', ref, `docker://${ref}`]);
  removePodman(builder);
  console.log(`image: ${(bytes / 1e6).toFixed(0)} MB in ${FILES} files, ${LAYERS} gzip layers, pushed by podman to ${ref}`);

  const times: Record<string, number[]> = { strataPull: [], podmanPull: [], skopeoPull: [], strataPush: [], skopeoPush: [] };
  for (let run = 0; run < RUNS; run++) {
    // pulls into empty stores on a fresh filesystem; the order rotates each run all the same
    const disk = freshFilesystem(run);
    const root = path.join(disk, 'strata');
    const runtime = path.join(disk, 'strata-run');
    const graph = freshPodman(disk);
    const oci = path.join(disk, 'oci');
    const jobs: Array<[string, () => void]> = [
      ['strataPull', () => sh(process.execPath, [CLI, '--root', root, '--runtime-dir', runtime, 'pull', '-q', ref])],
      ['podmanPull', () => podman(graph, ['pull', '-q', '--tls-verify=false', `docker://${ref}`])],
      ['skopeoPull', () => sh('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${ref}`, `oci:${oci}:1`])],
    ];
    for (const [name, job] of [...jobs.slice(run % jobs.length), ...jobs.slice(0, run % jobs.length)]) {
      dropCaches();
      times[name].push(timed(job, name));
      console.log(`  ${name}: ${Math.round(times[name].at(-1)!)} ms`);
    }

    // pushes to an empty registry each: nothing there to skip or mount from
    for (const [name, prepare] of [
      ['strataPush', (target: string) => {
        sh(process.execPath, [CLI, '--root', root, '--runtime-dir', runtime, 'tag', ref, target]);
        return () => sh(process.execPath, [CLI, '--root', root, '--runtime-dir', runtime, 'push', '-q', target]);
      }],
      ['skopeoPush', (target: string) => () => sh('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${oci}:1`, `docker://${target}`])],
    ] as Array<[string, (target: string) => () => void]>) {
      const empty = await startRegistry();
      registries.push(empty);
      const job = prepare(`${empty.host}/bench/pushed:1`);
      dropCaches();
      times[name].push(timed(job, name));
      console.log(`  ${name}: ${Math.round(times[name].at(-1)!)} ms`);
      await empty.stop();
    }
    removeFilesystem(disk);
  }

  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const lines = [
    `strata pull (ready to run): ${(m.strataPull / 1000).toFixed(2)} s vs podman pull ${(m.podmanPull / 1000).toFixed(2)} s → ${(m.strataPull / m.podmanPull).toFixed(2)}× (goal ≤ 0.7×)`,
    `strata pull (ready to run): ${(m.strataPull / 1000).toFixed(2)} s vs skopeo copy to an OCI dir (blobs only) ${(m.skopeoPull / 1000).toFixed(2)} s → ${(m.strataPull / m.skopeoPull).toFixed(2)}×`,
    `strata push to an empty registry: ${(m.strataPush / 1000).toFixed(2)} s vs skopeo copy ${(m.skopeoPush / 1000).toFixed(2)} s → ${(m.strataPush / m.skopeoPush).toFixed(2)}× (goal ≤ 1.0×)`,
  ];
  const c = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
  lines.push(
    `CPU time (user+sys): strata pull ${(c.strataPull / 1000).toFixed(2)} s vs podman pull ${(c.podmanPull / 1000).toFixed(2)} s → ${(c.strataPull / c.podmanPull).toFixed(2)}×; strata push ${(c.strataPush / 1000).toFixed(2)} s vs skopeo copy ${(c.skopeoPush / 1000).toFixed(2)} s → ${(c.strataPush / c.skopeoPush).toFixed(2)}×`,
  );
  console.log(`load average at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${os.cpus().length} CPUs`);
  console.log(`medians of ${RUNS} runs each:`);
  for (const line of lines) console.log(line);
  console.log(`all runs (ms): ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((x) => Math.round(x))])))}`);
}

try {
  await main();
} finally {
  for (const r of registries) await r.stop();
  for (const name of fs.readdirSync(work)) if (/^podman-\d+$/.test(name)) removePodman(path.join(work, name));
  for (const name of fs.readdirSync(work)) if (/^fs-\d+$/.test(name)) removeFilesystem(path.join(work, name));
  await releaseNetworksUnder(work); // this run's bridges and nft tables
  fs.rmSync(work, { recursive: true, force: true });
}
