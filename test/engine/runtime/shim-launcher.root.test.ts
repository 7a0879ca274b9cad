// The monitor is started through the addon's posix_spawn: a long-running strata (the TUI)
// must not collect zombies, and the monitor must start clean — no fd of ours, no signal
// disposition or mask inherited from node.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

function childrenOf(pid: number): Array<{ pid: number; state: string }> {
  const out: Array<{ pid: number; state: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push({ pid: Number(entry), state: fields[0] });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

function statusField(pid: number, name: string): string {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  return line!.split(/\s+/)[1];
}

describe('starting the container monitor', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('leaves no zombie behind in a strata process that keeps running', async () => {
    for (let i = 0; i < 5; i++) {
      const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['true'] });
      await t.engine.waitContainer(record.id);
      await t.engine.removeContainer(record.id);
    }
    await sleep(300); // the reaper retries every 20 ms
    const zombies = childrenOf(process.pid).filter((c) => c.state === 'Z');
    assert.deepEqual(zombies, [], 'no exited child is left unreaped');
  });

  it('gives the monitor none of our fds and the container default signals', async () => {
    const held = fs.openSync('/dev/null', 'r'); // an fd of ours the monitor must not see
    try {
      const { record } = await t.engine.runContainer({ image: IMAGE, name: 'clean-monitor', cmd: ['sleep', '30'] });
      const shimPid = (await t.engine.inspectContainer(record.id)).state.shimPid;
      assert.ok(shimPid > 0);
      const targets = fs.readdirSync(`/proc/${shimPid}/fd`).map((fd) => fs.readlinkSync(`/proc/${shimPid}/fd/${fd}`));
      const ours = fs.readdirSync(`/proc/self/fd`).map((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } });
      const shared = targets.filter((target) => target.startsWith('pipe:') || target.startsWith('socket:')).filter((target) => ours.includes(target));
      assert.deepEqual(shared, [], 'no pipe or socket of strata is open in the monitor');
      // node ignores SIGPIPE and blocks signals on its threads; the container must not inherit that
      const pid = (await t.engine.inspectContainer(record.id)).state.pid;
      assert.equal(statusField(pid, 'SigIgn'), '0000000000000000', 'no signal ignored in the container');
      assert.equal(statusField(pid, 'SigBlk'), '0000000000000000', 'no signal blocked in the container');
      await t.engine.removeContainer(record.id, true);
    } finally {
      fs.closeSync(held);
    }
  });
});
