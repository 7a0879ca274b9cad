import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMAGE, execCollect, makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { sampleUntil } from '../../support/sample-until.js';
import { readStats } from '../../../source/engine/runtime/cgroups.js';

describe('exec, top and pause', () => {
  let t: TestEngine;
  before(async () => {
    t = await makeTestEngine();
    await t.engine.runContainer({ image: IMAGE, name: 'box', env: ['FROM_RUN=yes'], cmd: ['sh', '-c', 'while :; do sleep 0.2; done'] });
  });
  after(async () => { await t.cleanup(); });

  it('exec joins the pid and mount namespaces with the same environment', async () => {
    const ps = await execCollect(t.engine, 'box', ['ps', '-o', 'pid,args']);
    assert.equal(ps.exitCode, 0, ps.stderr);
    assert.match(ps.stdout, /^\s*1 sh -c while/m, 'PID 1 is the container command');
    await execCollect(t.engine, 'box', ['sh', '-c', 'echo inside > /tmp/marker']);
    const env = await execCollect(t.engine, 'box', ['sh', '-c', 'echo "$FROM_RUN $EXTRA"; cat /tmp/marker; hostname'], { env: ['EXTRA=more'] });
    const record = await t.engine.inspectContainer('box');
    assert.equal(env.stdout, `yes more\ninside\n${record.config.hostname}\n`);
  });

  it('exec runs as the asked user in the asked directory and reports exit codes', async () => {
    const who = await execCollect(t.engine, 'box', ['sh', '-c', 'id -u; pwd; grep NoNewPrivs /proc/self/status'], { user: '1000', workdir: '/tmp' });
    assert.equal(who.stdout, '1000\n/tmp\nNoNewPrivs:\t0\n');
    assert.equal((await execCollect(t.engine, 'box', ['sh', '-c', 'exit 7'])).exitCode, 7);
    const missing = await execCollect(t.engine, 'box', ['no-such-binary']);
    assert.equal(missing.exitCode, 127);
    assert.match(missing.stderr, /no-such-binary/);
  });

  it('exec passes stdin through', async () => {
    const { handle, child } = await t.engine.exec('box', { cmd: ['cat'], interactive: true }, 'pipe');
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stdin!.end('through the pipe\n');
    assert.equal(await handle.exited, 0);
    await sleep(20);
    assert.equal(out, 'through the pipe\n');
  });

  it('top lists the container processes', async () => {
    const rows = await t.engine.top('box');
    assert.ok(rows.length >= 1);
    assert.match(rows[0].cmd, /^sh -c while/);
  });

  it('pause freezes a busy loop and unpause resumes it', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'busy', cmd: ['sh', '-c', 'while :; do :; done'] });
    const record = await t.engine.inspectContainer('busy');
    await sleep(200);
    await t.engine.pauseContainer('busy');
    assert.equal((await t.engine.inspectContainer('busy')).state.status, 'paused');
    assert.match((await t.engine.listContainers()).find((c) => c.name === 'busy')!.statusText, /\(Paused\)$/);
    const state = fs.readFileSync(`/proc/${record.state.pid}/stat`, 'utf8').split(') ')[1][0];
    assert.ok(state === 'D' || state === 'T', `frozen task state ${state}`);
    const before = readStats(record.cgroupPaths).cpuTotalNs;
    await sleep(500);
    const during = readStats(record.cgroupPaths).cpuTotalNs;
    assert.ok(during - before < 5_000_000, `CPU advanced ${during - before} ns while paused`);
    await t.engine.unpauseContainer('busy');
    const afterwards = await sampleUntil(() => readStats(record.cgroupPaths).cpuTotalNs, (ns) => ns - during > 100_000_000);
    assert.ok(afterwards - during > 100_000_000, 'CPU advances again after unpause');
    await t.engine.stats('busy');
    const stats = await sampleUntil(() => t.engine.stats('busy'), (s) => s.cpuPercent > 30);
    assert.ok(stats.cpuPercent > 30, `busy loop shows CPU: ${stats.cpuPercent}`);
    await t.engine.pauseContainer('busy');
    await t.engine.stopContainer('busy', 1); // a paused container can still be stopped
    assert.equal((await t.engine.inspectContainer('busy')).state.status, 'exited');
  });
});
