// A `strata build` SIGKILLed while a RUN step runs (its step container up, its heredoc script
// in the store's tmp/): the next strata command — a plain `ps -a` — finishes the job. The step
// container is removed (never listed), the script dir goes, and `system check` finds nothing;
// no monitor, mount or cgroup is left.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { mountsUnder } from '../support/test-engine.js';
import { until } from '../support/until.js';

const skip = cliSkip();
const IMAGE = 'strata-killed-build/busybox:latest';
const TRIALS = 3;

const store = new CliStore('strata-killed-build-');
const { strata } = store;
const stepDirs = () => fs.readdirSync(path.join(store.root, 'tmp')).filter((n) => n.startsWith('build'));
const containerIds = () => store.containerDirs();

describe('a killed build', { skip, timeout: 600_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
    const ctx = path.join(store.workDir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nRUN <<EOF\n#!/bin/sh\necho step-running\nexec sleep 120\nEOF\n`);
  });

  after(async () => {
    if (!store.workDir) return;
    for (const id of containerIds()) strata(['rm', '-f', id]);
    await store.close();
  });

  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`trial ${trial}: the next strata command removes the step container and the script dir`, async () => {
      const build = store.spawnPiped(['build', '--network', 'none', '-t', `killed:${trial}`, path.join(store.workDir, 'ctx')]);
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

      const ps = strata(['ps', '-a', '--format', '{{.ID}} {{.Status}}']);
      assert.equal(ps.status, 0, explain(ps));
      assert.equal(ps.stdout, '', `a killed build's step container is listed:\n${ps.stdout}`);
      assert.deepEqual(containerIds(), []);
      assert.deepEqual(stepDirs(), []);
      const check = strata(['system', 'check']);
      assert.equal(check.status, 0, explain(check));
      assert.deepEqual(mountsUnder(store.root), []);
      for (const dir of Object.values(cgroupPathsFor(stepId))) assert.ok(!fs.existsSync(dir), `cgroup left: ${dir}`);
      const shims = spawnSync('pgrep', ['-f', `strata-shim ${stepId}`], { encoding: 'utf8' });
      assert.equal(shims.stdout, '', 'the step container\'s monitor still runs');
    });
  }
});
