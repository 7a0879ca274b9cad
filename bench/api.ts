// The Docker API service's figures, each beside its peer measured in this same run:
//  - `docker run --rm IMAGE true` through strata's socket vs `podman run --rm IMAGE true` (goal ≤ 0.5×);
//  - `docker ps -a` with 200 containers through strata's socket vs `strata ps -a` itself
//    (goal ≤ 1.5×), and `podman ps -a` with as many;
//  - 20 docker clients at once doing run/logs/rm for DURATION seconds: errors (goal 0), the
//    service's descriptors and RSS at the start and the end of the load (goal flat).
// The service is the built CLI's `strata system service`, as a user runs it; podman and strata
// each use a store of their own under one temp dir. Run as root: `node --import tsx bench/api.ts`
// (RUNS, CONTAINERS, CLIENTS, DURATION override the counts).
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfsTar } from '../source/engine/demo.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const RUNS = Number(process.env.RUNS ?? 15);
const CONTAINERS = Number(process.env.CONTAINERS ?? 200);
const CLIENTS = Number(process.env.CLIENTS ?? 20);
const DURATION = Number(process.env.DURATION ?? 60);
const IMAGE = 'bench/busybox:latest';
const CLI = path.resolve('dist/strata.js');
const PARTS = (process.env.PARTS ?? 'run,ps,load').split(','); // which figures to measure

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-api-'));
const root = path.join(work, 'root');
const runtimeDir = path.join(work, 'run');
const socket = path.join(work, 'docker.sock');
const podmanArgs = ['--root', path.join(work, 'podman'), '--runroot', path.join(work, 'podman-run'), '--runtime', 'runc'];
// this host refuses raising RLIMIT_NOFILE/NPROC to podman's defaults (as bench/run.ts says)
const podmanLimits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const dockerEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(work, 'docker-config') };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/** Median ms of each command, run alternately RUNS times after one warm-up each. */
function compare(commands: Record<string, [string, string[], NodeJS.ProcessEnv?]>, runs = RUNS): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (const [cmd, args, env] of Object.values(commands)) timed(cmd, args, env);
  for (let i = 0; i < runs; i++) for (const [name, [cmd, args, env]] of Object.entries(commands)) times[name].push(timed(cmd, args, env));
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const docker = (...args: string[]): [string, string[], NodeJS.ProcessEnv] => ['docker', args, dockerEnv];
const podman = (...args: string[]): [string, string[]] => ['podman', [...podmanArgs, ...args]];
const strata = (...args: string[]): [string, string[]] => [process.execPath, [CLI, '--root', root, '--runtime-dir', runtimeDir, ...args]];

function processFigures(pid: number): { fds: number; rssKiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { fds: fs.readdirSync(`/proc/${pid}/fd`).length, rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
}

function dockerAsync(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { env: dockerEnv, timeout: 120_000 }, (err, _stdout, stderr) => resolve({ code: err ? 1 : 0, stderr }));
  });
}

async function load(pid: number): Promise<string[]> {
  const errors: string[] = [];
  let runs = 0;
  const samples: Array<{ at: number; fds: number; rssKiB: number }> = [];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ at: Date.now() - started, ...processFigures(pid) }), 5000);
  samples.push({ at: 0, ...processFigures(pid) });
  const client = async (n: number) => {
    for (let i = 0; Date.now() - started < DURATION * 1000; i++) {
      const name = `load-${n}-${i}`;
      for (const args of [['run', '--name', name, IMAGE, 'echo', name], ['logs', name], ['rm', name]]) {
        const r = await dockerAsync(args);
        if (r.code !== 0) errors.push(`${args.join(' ')}: ${r.stderr.trim()}`);
      }
      runs++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 3000)); // what the last requests held, closed
  samples.push({ at: Date.now() - started, ...processFigures(pid) });
  const first = samples[0];
  const last = samples.at(-1)!;
  // the heap grows to its working size in the first seconds and V8 keeps it: a leak is what
  // grows after that, so the RSS is read at a third of the load too
  const third = samples.find((s) => s.at >= (DURATION * 1000) / 3) ?? first;
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  return [
    `| ${CLIENTS} clients × run/logs/rm for ${DURATION} s | ${runs} rounds, ${errors.length} errors | goal 0 errors |`,
    `| service descriptors before / after the load | ${first.fds} / ${last.fds} | goal flat |`,
    `| service RSS before / at ${Math.round(third.at / 1000)} s / after (MiB) | ${mib(first.rssKiB)} / ${mib(third.rssKiB)} / ${mib(last.rssKiB)} | goal flat after warm-up |`,
    `| service RSS every 5 s (MiB) | ${samples.map((s) => mib(s.rssKiB)).join(' ')} | |`,
    ...errors.slice(0, 5).map((e) => `|   error: ${e.replace(/\|/g, '/')} | | |`),
  ];
}

async function main(): Promise<void> {
  for (const cmd of ['docker', 'podman']) if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) throw new Error(`${cmd} is needed`);
  const service = spawn(process.execPath, [CLI, '--root', root, '--runtime-dir', runtimeDir, 'system', 'service', '--socket', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  const rows: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      service.stderr.on('data', (c: Buffer) => { if (c.toString().includes('serving the Docker API')) resolve(); });
      service.once('exit', (code) => reject(new Error(`the service exited (${code})`)));
    });
    const tar = path.join(work, 'busybox.tar');
    await new Promise<void>((resolve, reject) => busyboxRootfsTar().pipe(fs.createWriteStream(tar)).on('finish', () => resolve()).on('error', reject));
    execFileSync('docker', ['import', tar, IMAGE], { env: dockerEnv, stdio: 'ignore' });
    execFileSync('podman', [...podmanArgs, 'import', tar, IMAGE], { stdio: 'ignore' });

    if (PARTS.includes('run')) {
      const run = compare({ strata: docker('run', '--rm', IMAGE, 'true'), podman: podman('run', '--rm', ...podmanLimits, IMAGE, 'true') });
      rows.push(`| \`docker run --rm ${IMAGE} true\` via strata's socket vs \`podman run --rm\` (median of ${RUNS}) | ${run.strata.toFixed(0)} ms vs ${run.podman.toFixed(0)} ms → ${(run.strata / run.podman).toFixed(2)}× | goal ≤ 0.5× |`);
      console.log(rows.at(-1));
    }

    if (PARTS.includes('ps')) {
      for (let i = 0; i < CONTAINERS; i++) {
        execFileSync('docker', ['create', '--name', `many-${i}`, IMAGE, 'true'], { env: dockerEnv, stdio: 'ignore' });
        execFileSync('podman', [...podmanArgs, 'create', ...podmanLimits, '--name', `many-${i}`, IMAGE, 'true'], { stdio: 'ignore' });
      }
      const ps = compare({ docker: docker('ps', '-a'), strata: strata('ps', '-a'), podman: podman('ps', '-a') });
      rows.push(`| \`docker ps -a\` via strata's socket vs \`strata ps -a\`, ${CONTAINERS} containers (median of ${RUNS}) | ${ps.docker.toFixed(0)} ms vs ${ps.strata.toFixed(0)} ms → ${(ps.docker / ps.strata).toFixed(2)}× | goal ≤ 1.5× |`);
      rows.push(`| … and \`podman ps -a\` with as many | ${ps.podman.toFixed(0)} ms → docker via strata ${(ps.docker / ps.podman).toFixed(2)}× podman | |`);
      console.log(rows.slice(-2).join('\n'));
      execFileSync('docker', ['container', 'prune', '-f'], { env: dockerEnv, stdio: 'ignore' });
      execFileSync('podman', [...podmanArgs, 'container', 'prune', '-f'], { stdio: 'ignore' });
    }

    if (PARTS.includes('load')) {
      rows.push(...await load(service.pid!));
      console.log(rows.slice(-4).join('\n'));
    }
  } finally {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    spawnSync(process.execPath, [CLI, '--root', root, '--runtime-dir', runtimeDir, 'rm', '-f', ...listAll()], { stdio: 'ignore' });
    spawnSync('podman', [...podmanArgs, 'rm', '-af'], { stdio: 'ignore' });
    spawnSync('podman', [...podmanArgs, 'rmi', '-af'], { stdio: 'ignore' });
    await releaseNetworksUnder(work);
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n| figure | measured | goal |\n| --- | --- | --- |\n${rows.join('\n')}`);
}

function listAll(): string[] {
  const r = spawnSync(process.execPath, [CLI, '--root', root, '--runtime-dir', runtimeDir, 'ps', '-aq'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

await main();
