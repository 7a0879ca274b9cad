import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMAGE, collectLogs, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { sampleUntil } from '../../support/sample-until.js';

describe('cgroup limits', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('kills a container over its memory limit: exit 137 and OOMKilled', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done'], { limits: { memoryBytes: 32 * 1024 * 1024 } });
    assert.equal(r.exitCode, 137);
    assert.equal(r.record.state.oomKilled, true);
  });

  it('stops a fork bomb at the pids limit', async () => {
    const { record } = await t.engine.runContainer({
      image: IMAGE, name: 'forks', limits: { pidsLimit: 10 },
      cmd: ['sh', '-c', 'i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo spawned; sleep 30'],
    });
    await sleep(1500);
    const stats = await t.engine.stats('forks');
    assert.ok(stats.pids <= 10, `pids ${stats.pids}`);
    const logs = await collectLogs(t.engine, 'forks');
    assert.match(logs.stderr, /can't fork|Resource temporarily unavailable/);
    await t.engine.removeContainer(record.id, true);
  });

  it('caps CPU at --cpus', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'half', limits: { nanoCpus: 500_000_000 }, cmd: ['sh', '-c', 'while :; do :; done'] });
    await sleep(300);
    await t.engine.stats('half');
    // every one-second window stays under the cap; on a loaded machine the loop may take a while to reach it
    const seen: number[] = [];
    const s = await sampleUntil(() => t.engine.stats('half'), (x) => { seen.push(x.cpuPercent); return x.cpuPercent > 30; }, { everyMs: 1000 });
    assert.ok(seen.every((p) => p < 65), `cpu stays under the cap: ${seen.map((p) => p.toFixed(0)).join(', ')}%`);
    assert.ok(s.cpuPercent < 65 && s.cpuPercent > 30, `cpu ${s.cpuPercent}%`);
    assert.ok(s.memoryUsage > 0);
    await t.engine.removeContainer('half', true);
  });
});
