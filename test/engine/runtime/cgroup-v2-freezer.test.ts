// The cgroup v2 freezer on the real kernel. This host serves the freezer through v1, so the
// engine would never take the v2 path here by itself: the test makes a v2 group of its own
// (under strata's group in the unified tree), puts its own busy child in it, and drives
// setFrozen/isFrozen through the `unified` path — what a pure-v2 host runs.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { detectCgroupLayout } from '../../../source/engine/runtime/cgroup-layout.js';
import { isFrozen, setFrozen } from '../../../source/engine/runtime/cgroups.js';

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const unified = detectCgroupLayout().unified;

describe('cgroup v2 freezer', { skip: unified ? false : 'no cgroup2 mount on this host' }, () => {
  const group = path.join(unified ?? '/nonexistent', 'strata', `v2-freezer-test-${process.pid}`);
  let child: ChildProcess | undefined;

  after(async () => {
    if (child?.pid) {
      try { setFrozen({ unified: group }, false); } catch { /* already gone */ }
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    }
    for (let i = 0; i < 50 && fs.existsSync(group); i++) {
      try { fs.rmdirSync(group); } catch { await sleep(10); }
    }
    assert.ok(!fs.existsSync(group), `cgroup left behind: ${group}`);
  });

  it('freezes a busy process until thawed and reports it', async () => {
    fs.mkdirSync(group, { recursive: true });
    child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    fs.writeFileSync(path.join(group, 'cgroup.procs'), String(child.pid));
    const paths = { unified: group };

    setFrozen(paths, true);
    assert.equal(isFrozen(paths), true);
    const frozenAt = cpuTicks(child.pid!);
    await sleep(300);
    assert.equal(cpuTicks(child.pid!), frozenAt, 'no CPU used while frozen');

    setFrozen(paths, false);
    assert.equal(isFrozen(paths), false);
    await sleep(300);
    assert.ok(cpuTicks(child.pid!) > frozenAt, 'runs again once thawed');
  });
});
