// compose figures, each beside its peer in this same run:
//  - `strata compose up -d` of a five-service project from built images against
//    `podman-compose up -d` (Debian's podman-compose 1.0.3, podman with runc) on the same file
//    (goal ≤ 0.5×), each timed from a project that is down;
//  - a no-change `strata compose up -d` on the running project (goal < 300 ms).
// Whole processes, as a user types them. Run as root: `node --import tsx bench/compose.ts`.
// Prints a markdown table for bench/RESULTS.md and writes bench/results-compose.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { busyboxRootfsTar } from '../source/engine/demo.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CLI = path.resolve('dist/strata.js');
const IMAGE = 'localhost/bench-busybox:latest';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-compose-'));
const project = path.join(work, 'five');
const strataArgs = ['--root', path.join(work, 'root'), '--runtime-dir', path.join(work, 'run')];
const podmanGlobal = ['--root', path.join(work, 'podman-root'), '--runroot', path.join(work, 'podman-run'), '--tmpdir', path.join(work, 'podman-state'), '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
// this host refuses podman's default RLIMIT_NOFILE/NPROC: a containers.conf of the bench's own
const conf = path.join(work, 'containers.conf');
const env = { ...process.env, CONTAINERS_CONF: conf, TMPDIR: work };

const SERVICES = ['web', 'api', 'worker', 'cache', 'db'];
const COMPOSE = `services:\n${SERVICES.map((s) => `  ${s}:\n    image: ${IMAGE}\n    command: ["sleep", "100000"]\n    environment: [ROLE=${s}]\n`).join('')}`;

function run(cmd: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: project, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const strata = (...args: string[]) => run(process.execPath, [CLI, ...strataArgs, ...args]);
const podmanCompose = (...args: string[]) => run('podman-compose', ['--podman-args', podmanGlobal.join(' '), ...args]);

async function main(): Promise<void> {
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'compose.yaml'), COMPOSE);
  fs.writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n');
  const tar = path.join(work, 'busybox.tar');
  await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
  strata('import', tar, IMAGE, '-c', 'CMD ["sh"]');
  run('podman', [...podmanGlobal, 'import', '-c', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '-c', 'CMD ["sh"]', tar, IMAGE]);

  const strataUp: number[] = [];
  const podmanUp: number[] = [];
  const noChange: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      strataUp.push(strata('compose', 'up', '-d'));
      for (let j = 0; j < 3; j++) noChange.push(strata('compose', 'up', '-d'));
      strata('compose', 'down');
      podmanUp.push(podmanCompose('up', '-d'));
      podmanCompose('down');
    }
  } finally {
    spawnSync(process.execPath, [CLI, ...strataArgs, 'compose', 'down'], { cwd: project, env });
    spawnSync('podman-compose', ['--podman-args', podmanGlobal.join(' '), 'down'], { cwd: project, env });
    spawnSync('podman', [...podmanGlobal, 'rm', '-a', '-f'], { env });
    spawnSync('podman', [...podmanGlobal, 'network', 'prune', '-f'], { env });
    spawnSync('podman', [...podmanGlobal, 'rmi', '-a', '-f'], { env });
    spawnSync(process.execPath, [CLI, ...strataArgs, 'network', 'prune', '-f'], { env });
  }
  const results = {
    rounds: ROUNDS,
    strataUpMs: median(strataUp),
    podmanComposeUpMs: median(podmanUp),
    ratio: median(strataUp) / median(podmanUp),
    noChangeUpMs: median(noChange),
    samples: { strataUp, podmanUp, noChange },
  };
  fs.writeFileSync(path.resolve('bench/results-compose.json'), `${JSON.stringify(results, null, 2)}\n`);
  const f = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log('| figure | strata | podman-compose 1.0.3 | ratio | goal |');
  console.log('|---|---|---|---|---|');
  console.log(`| compose up -d, five services, from down (median of ${ROUNDS}) | ${f(results.strataUpMs)} | ${f(results.podmanComposeUpMs)} | ${results.ratio.toFixed(2)}× | ≤ 0.5× |`);
  console.log(`| compose up -d, no change (median of ${noChange.length}) | ${f(results.noChangeUpMs)} | | | < 300 ms |`);
  fs.rmSync(work, { recursive: true, force: true });
}

await main();
