// A `strata build` SIGKILLed while a RUN step runs (its step container up, its heredoc script
// in the store's tmp/): the next strata command — a plain `ps -a` — finishes the job. The step
// container is removed (never listed), the script dir goes, and `system check` finds nothing;
// no monitor, mount or cgroup is left.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { mountsUnder, releaseNetworksUnder } from '../support/test-engine.js';
import { until } from '../support/until.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root' : !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;
const IMAGE = 'strata-killed-build/busybox:latest';
const TRIALS = 3;

let workDir = '';
let root = '';
let runtimeDir = '';

function strata(...args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [cli, '--root', root, '--runtime-dir', runtimeDir, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

const stepDirs = () => fs.readdirSync(path.join(root, 'tmp')).filter((n) => n.startsWith('build'));
const containerIds = () => fs.readdirSync(path.join(root, 'containers')).filter((n) => /^[0-9a-f]{64}$/.test(n));

describe('a killed build', { skip, timeout: 600_000 }, () => {
  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-killed-build-'));
    root = path.join(workDir, 'root');
    runtimeDir = path.join(workDir, 'run');
    const tar = path.join(workDir, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
    const imported = strata('import', tar, IMAGE, '-c', 'CMD ["sh"]');
    assert.equal(imported.status, 0, explain(imported));
    const ctx = path.join(workDir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nRUN <<EOF\n#!/bin/sh\necho step-running\nexec sleep 120\nEOF\n`);
  });

  after(async () => {
    if (!workDir) return;
    for (const id of containerIds()) strata('rm', '-f', id);
    await releaseNetworksUnder(workDir);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`trial ${trial}: the next strata command removes the step container and the script dir`, async () => {
      const build = spawn(process.execPath, [cli, '--root', root, '--runtime-dir', runtimeDir, 'build', '--network', 'none', '-t', `killed:${trial}`, path.join(workDir, 'ctx')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      build.stdout.on('data', (d: Buffer) => { output += d.toString(); });
      build.stderr.on('data', (d: Buffer) => { output += d.toString(); });
      const exited = new Promise((resolve) => build.once('exit', resolve));
      await until('the RUN step runs', 60_000, async () => (output.includes('step-running') ? true : undefined));
      const [stepId] = containerIds();
      assert.ok(stepId, 'no step container while the step runs');
      assert.ok(stepDirs().length > 0, 'the heredoc script is not in tmp/ while the step runs');
      build.kill('SIGKILL');
      await exited;

      const ps = strata('ps', '-a', '--format', '{{.ID}} {{.Status}}');
      assert.equal(ps.status, 0, explain(ps));
      assert.equal(ps.stdout, '', `a killed build's step container is listed:\n${ps.stdout}`);
      assert.deepEqual(containerIds(), []);
      assert.deepEqual(stepDirs(), []);
      const check = strata('system', 'check');
      assert.equal(check.status, 0, explain(check));
      assert.deepEqual(mountsUnder(root), []);
      for (const dir of Object.values(cgroupPathsFor(stepId))) assert.ok(!fs.existsSync(dir), `cgroup left: ${dir}`);
      const shims = spawnSync('pgrep', ['-f', `strata-shim ${stepId}`], { encoding: 'utf8' });
      assert.equal(shims.stdout, '', 'the step container\'s monitor still runs');
    });
  }
});
