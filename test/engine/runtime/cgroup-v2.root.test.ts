// The cgroup v2 paths on the real kernel. This host serves the freezer and the devices
// controller through v1, so the engine would never take the v2 paths here by itself: each test
// makes a v2 group of its own (under strata's group in the unified tree), puts its own child in
// it, and drives the `unified` path — what a pure-v2 host runs.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { detectCgroupLayout } from '../../../source/engine/runtime/cgroup-layout.js';
import { isFrozen, setFrozen } from '../../../source/engine/runtime/cgroups.js';
import { applyDeviceRules } from '../../../source/engine/runtime/cgroup-devices.js';
import { mknod } from '../../../source/native.js';

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

const unified = detectCgroupLayout().unified;

describe('cgroup v2', { skip: unified ? false : 'no cgroup2 mount on this host' }, () => {
  const groups: string[] = [];
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const newGroup = (name: string) => {
    const group = path.join(unified!, 'strata', `v2-${name}-test-${process.pid}`);
    fs.mkdirSync(group, { recursive: true });
    groups.push(group);
    return group;
  };

  after(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    for (const group of groups) {
      try { setFrozen({ unified: group }, false); } catch { /* already gone */ }
      for (let i = 0; i < 50 && fs.existsSync(group); i++) {
        try { fs.rmdirSync(group); } catch { await sleep(10); }
      }
      assert.ok(!fs.existsSync(group), `cgroup left behind: ${group}`);
    }
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('freezes a busy process until thawed and reports it', async () => {
    const group = newGroup('freezer');
    let child: ChildProcess;
    child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(child);
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

describe('cgroup v2 device rules', { skip: unified ? false : 'no cgroup2 mount on this host' }, () => {
  it("lets a process open only docker's default devices", async () => {
    const group = path.join(unified!, 'strata', `v2-devices-test-${process.pid}`);
    const dir = fs.mkdtempSync('/tmp/strata-devices-');
    try {
      fs.mkdirSync(group, { recursive: true });
      mknod(path.join(dir, 'null'), fs.constants.S_IFCHR | 0o666, 1, 3); // allowed: /dev/null
      mknod(path.join(dir, 'mem'), fs.constants.S_IFCHR | 0o600, 1, 1); // refused: /dev/mem
      applyDeviceRules({ unified: group }, false);
      // the child waits until it is in the group, then tries both
      const child = spawn('sh', ['-c', `read go; true <${dir}/null && echo NULL_OK; true <${dir}/mem && echo MEM_OK; echo END`], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d) => { out += d; });
      fs.writeFileSync(path.join(group, 'cgroup.procs'), String(child.pid));
      child.stdin!.end('go\n');
      await new Promise((r) => child.once('exit', r));
      assert.match(out, /NULL_OK/);
      assert.doesNotMatch(out, /MEM_OK/, 'a device outside the rules is refused');
      assert.match(out, /END/);
    } finally {
      for (let i = 0; i < 50 && fs.existsSync(group); i++) {
        try { fs.rmdirSync(group); } catch { await sleep(10); }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(!fs.existsSync(group), `cgroup left behind: ${group}`);
  });
});
