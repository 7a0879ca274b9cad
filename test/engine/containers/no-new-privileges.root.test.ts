import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGE, execCollect, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { assertHostUnchanged, hostCanary, type HostCanary } from '../../support/host-canary.js';

// docker leaves no_new_privs off unless --security-opt no-new-privileges: a setuid-root binary
// run by a non-root user gains root, and the seccomp filter is there either way.
describe('no_new_privs and setuid binaries', () => {
  let t: TestEngine;
  let probeDir: string;
  let canary: HostCanary;
  before(async () => {
    canary = await hostCanary();
    t = await makeTestEngine();
    probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-nnp-'));
    fs.writeFileSync(path.join(probeDir, 'euid.c'), '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("euid %d\\n", (int)geteuid()); return 0; }\n');
    execFileSync('gcc', ['-static', '-O2', '-o', path.join(probeDir, 'euid'), path.join(probeDir, 'euid.c')]);
  });
  after(async () => {
    await t.cleanup();
    fs.rmSync(probeDir, { recursive: true, force: true });
    await assertHostUnchanged(canary);
  });

  // root installs a setuid-root copy of the probe into the container's own filesystem
  async function boxWithSetuidProbe(name: string, securityOpt?: string[]) {
    await t.engine.runContainer({
      image: IMAGE, name, securityOpt, network: 'none',
      mounts: [{ type: 'bind', source: probeDir, target: '/probe', readOnly: true }],
      cmd: ['sh', '-c', 'cp /probe/euid /bin/euid && chmod 4755 /bin/euid && touch /ready; while :; do sleep 0.2; done'],
    });
    for (let i = 0; i < 100 && (await execCollect(t.engine, name, ['test', '-e', '/ready'])).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  }

  it('is off by default: a user gains root through setuid, seccomp still filters (run and exec)', async () => {
    const run = await runToEnd(t.engine, ['grep', '-E', '^(NoNewPrivs|Seccomp):', '/proc/self/status'], { user: '1000', network: 'none' });
    assert.equal(run.stdout, 'NoNewPrivs:\t0\nSeccomp:\t2\n');
    await boxWithSetuidProbe('nnp-off');
    const exec = await execCollect(t.engine, 'nnp-off', ['sh', '-c', 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; /bin/euid'], { user: '1000' });
    assert.equal(exec.stdout, 'NoNewPrivs:\t0\nSeccomp:\t2\neuid 0\n', exec.stderr);
    assert.equal((await t.engine.inspectContainer('nnp-off')).hostConfig.securityOpt?.length, 0);
  });

  it('--security-opt no-new-privileges turns it on for run and exec; setuid gains nothing', async () => {
    for (const opt of ['no-new-privileges', 'no-new-privileges=true', 'no-new-privileges:true']) {
      const run = await runToEnd(t.engine, ['grep', '-E', '^(NoNewPrivs|Seccomp):', '/proc/self/status'], { user: '1000', network: 'none', securityOpt: [opt] });
      assert.equal(run.stdout, 'NoNewPrivs:\t1\nSeccomp:\t2\n', opt);
    }
    const off = await runToEnd(t.engine, ['grep', 'NoNewPrivs:', '/proc/self/status'], { network: 'none', securityOpt: ['no-new-privileges=false'] });
    assert.equal(off.stdout, 'NoNewPrivs:\t0\n');
    await boxWithSetuidProbe('nnp-on', ['no-new-privileges']);
    const exec = await execCollect(t.engine, 'nnp-on', ['sh', '-c', 'grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status; /bin/euid'], { user: '1000' });
    assert.equal(exec.stdout, 'NoNewPrivs:\t1\nSeccomp:\t2\neuid 1000\n', exec.stderr);
    assert.deepEqual((await t.engine.inspectContainer('nnp-on')).hostConfig.securityOpt, ['no-new-privileges']);
  });
});
