// A container whose monitor (strata-shim) is SIGKILLed: its processes run on in its cgroups, so
// it still reads running (saying the monitor is gone), and stop, kill and rm -f kill everything
// in its groups, unmount its root and remove its groups, after which it starts again.
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MONITOR_GONE } from '../../../source/engine/containers/state.js';
import { cgroupPids } from '../../../source/engine/runtime/cgroups.js';
import { IMAGE, makeTestEngine, mountsUnder, type TestEngine } from '../../support/test-engine.js';

// a zombie counts as gone: whoever reaps the reparented processes (pid 1) is no part of this
function alive(pid: number): boolean {
  try { return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

async function untilGone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && alive(pid); i++) await sleep(10);
  assert.ok(!alive(pid), `monitor ${pid} still alive`);
}

describe('a container whose monitor died', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  async function orphan(name: string) {
    const { record } = await t.engine.runContainer({ image: IMAGE, name, cmd: ['sh', '-c', 'sleep 1000 & sleep 1000'] });
    const shimPid = record.state.shimPid;
    assert.ok(shimPid > 0);
    // both sleeps forked (under load sh takes its time), so that two processes are left
    for (let i = 0; i < 500 && cgroupPids(record.cgroupPaths).length < 2; i++) await sleep(10);
    process.kill(shimPid, 'SIGKILL'); // only this pid: the record says it is this container's monitor
    await untilGone(shimPid);
    const pids = cgroupPids(record.cgroupPaths);
    assert.ok(pids.length >= 2, `the container's processes run on: ${pids}`);
    return { record, pids };
  }

  function assertAllGone(record: { id: string; cgroupPaths: Record<string, string> }, pids: number[]): void {
    for (const pid of pids) assert.ok(!alive(pid), `process ${pid} left running`);
    for (const dir of Object.values(record.cgroupPaths)) assert.ok(!fs.existsSync(dir), `cgroup left: ${dir}`);
    assert.deepEqual(mountsUnder(`${t.root}/containers/${record.id}`), []);
  }

  it('reads running, says why, and stop kills its processes and cleans up; start runs it again', async () => {
    const { record, pids } = await orphan('orphan-stop');
    const seen = await t.engine.inspectContainer('orphan-stop');
    assert.equal(seen.state.status, 'running');
    assert.equal(seen.state.running, true);
    assert.equal(seen.state.error, MONITOR_GONE);
    const listed = (await t.engine.listContainers(false)).find((c) => c.name === 'orphan-stop');
    assert.match(listed?.statusText ?? '', /^Up .+ \(monitor gone\)$/);

    await t.engine.stopContainer('orphan-stop', 1);
    const stopped = await t.engine.inspectContainer('orphan-stop');
    assert.equal(stopped.state.running, false);
    assert.equal(stopped.state.status, 'exited');
    assertAllGone(record, pids);

    await t.engine.startContainer('orphan-stop');
    const again = await t.engine.inspectContainer('orphan-stop');
    assert.equal(again.state.status, 'running');
    assert.equal(again.state.error, '');
    assert.ok(again.state.shimPid > 0 && again.state.shimPid !== record.state.shimPid);
    await t.engine.removeContainer('orphan-stop', true);
  });

  it('a stats sample of an idle container records that its monitor died (a list following the store learns it)', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'orphan-idle', cmd: ['sh', '-c', 'sleep 100000 & wait'] });
    const recorded = () => (JSON.parse(fs.readFileSync(`${t.root}/containers/${record.id}/container.json`, 'utf8')) as { state: { error: string } }).state.error;
    await t.engine.stats('orphan-idle');
    await t.engine.stats('orphan-idle'); // idle: from two files, the record not looked up
    process.kill(record.state.shimPid, 'SIGKILL');
    await untilGone(record.state.shimPid);
    assert.equal(recorded(), '');
    await t.engine.stats('orphan-idle');
    assert.equal(recorded(), MONITOR_GONE);
    await t.engine.removeContainer('orphan-idle', true);
  });

  it('kill kills everything in its groups', async () => {
    const { record, pids } = await orphan('orphan-kill');
    await t.engine.killContainer('orphan-kill');
    assert.equal((await t.engine.inspectContainer('orphan-kill')).state.running, false);
    assertAllGone(record, pids);
    await t.engine.removeContainer('orphan-kill');
  });

  it('rm -f kills everything and removes it', async () => {
    const { record, pids } = await orphan('orphan-rm');
    await t.engine.removeContainer('orphan-rm', true);
    assertAllGone(record, pids);
    assert.ok(!(await t.engine.listContainers(true)).some((c) => c.name === 'orphan-rm'));
  });
});
