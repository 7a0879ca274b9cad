// What a user sees across several strata processes: containers outlive the process that
// started them, and many processes can work on one store at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMAGE, collectLogs, execCollect, makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { sampleUntil } from '../../support/sample-until.js';

const run = promisify(execFile);
const CLI = path.resolve('dist/strata.js');

describe('containers across strata processes', () => {
  let t: TestEngine;
  let cli: string[];
  before(async () => {
    t = await makeTestEngine();
    cli = [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir];
  });
  after(async () => { await t.cleanup(); });

  it('keeps running and logging after `kill -9` of the strata that started it', async () => {
    const child = spawn('node', [...cli, 'run', '--name', 'survivor', IMAGE, 'sh', '-c', 'while :; do echo tick; sleep 0.1; done'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('tick')) resolve(); });
      child.once('exit', (code) => reject(new Error(`strata exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const before = (await collectLogs(t.engine, 'survivor')).stdout.split('\n').length;
    await sleep(500);
    const record = await t.engine.inspectContainer('survivor');
    assert.equal(record.state.status, 'running');
    const afterwards = (await collectLogs(t.engine, 'survivor')).stdout.split('\n').length;
    assert.ok(afterwards > before, 'logs keep flowing');

    // a new strata process finds it, execs into it, pauses and stops it
    const ps = await run('node', [...cli, 'ps', '--format', 'json']);
    assert.match(ps.stdout, /survivor/);
    assert.equal((await execCollect(t.engine, 'survivor', ['echo', 'still here'])).stdout, 'still here\n');
    await run('node', [...cli, 'pause', 'survivor']);
    assert.equal((await t.engine.inspectContainer('survivor')).state.status, 'paused');
    await run('node', [...cli, 'unpause', 'survivor']);
    await run('node', [...cli, 'stop', '-t', '1', 'survivor']);
    assert.equal((await t.engine.inspectContainer('survivor')).state.status, 'exited');
    await t.engine.removeContainer('survivor');
  });

  it('shows a container whose shim died as exited, honestly', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'orphan', cmd: ['sleep', '60'] });
    process.kill(record.state.shimPid, 'SIGKILL');
    process.kill(record.state.pid, 'SIGKILL'); // the pid namespace dies with its init
    await sleep(200);
    const r = await t.engine.inspectContainer('orphan');
    assert.equal(r.state.status, 'exited');
    assert.match(r.state.error, /strata-shim/);
    await t.engine.removeContainer('orphan');
  });

  it('shows a container that ran before the machine restarted as exited, saying so', async () => {
    // A reboot is imitated the way strata would see one: the record was written under
    // another boot id and its runtime state (pid file) is gone with the old /run.
    const created = await t.engine.createContainer({ image: IMAGE, name: 'before-reboot', cmd: ['true'] });
    const file = path.join(t.root, 'containers', created.id, 'container.json');
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    Object.assign(record.state, { status: 'running', running: true, pid: 999_999, shimPid: 999_998, startedAt: new Date(Date.now() - 60_000).toISOString() });
    record.bootId = '00000000-0000-0000-0000-000000000000';
    fs.writeFileSync(file, JSON.stringify(record));
    const r = await t.engine.inspectContainer('before-reboot');
    assert.equal(r.state.status, 'exited');
    assert.match(r.state.error, /host restarted/);
    const ps = await run('node', [...cli, 'ps', '-a', '--filter', 'name=before-reboot']);
    assert.match(ps.stdout, /Exited \(255\)/);
    await t.engine.removeContainer('before-reboot');
  });

  it('starts 10 containers from 10 parallel strata processes and the store stays consistent', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `par${i}`);
    const results = await Promise.allSettled(names.map((n) => run('node', [...cli, 'run', '-d', '--name', n, IMAGE, 'sleep', '30'])));
    const failures = results.filter((r) => r.status === 'rejected');
    assert.equal(failures.length, 0, JSON.stringify(failures));
    const running = (await t.engine.listContainers()).map((c) => c.name).sort();
    assert.deepEqual(running, [...names].sort());
    assert.deepEqual(await t.engine.check(), []);
    const check = await run('node', [...cli, 'system', 'check']);
    assert.match(check.stdout, /no problems|OK|clean/i);
    await Promise.all(names.map((n) => run('node', [...cli, 'rm', '-f', n])));
    assert.equal((await t.engine.listContainers(true)).length, 0);
  });

  it('shows an idle container idle and sees it wake up, get renamed, stop and go', async () => {
    // idle for two seconds, then a busy loop
    await t.engine.runContainer({ image: IMAGE, name: 'sleeper', cmd: ['sh', '-c', 'sleep 2; while :; do :; done'] });
    const first = await t.engine.stats('sleeper');
    assert.equal(first.pids, 2);
    assert.ok(first.memoryUsage > 0);
    const idle = await t.engine.stats('sleeper');
    assert.equal(idle.cpuPercent, 0);
    assert.equal(idle.memoryUsage, first.memoryUsage);
    assert.equal(idle.name, 'sleeper');

    await run('node', [...cli, 'rename', 'sleeper', 'napper']);
    const id = first.id;
    assert.equal((await t.engine.stats(id)).name, 'napper');

    await sleep(2500);
    await t.engine.stats(id);
    const busy = await sampleUntil(() => t.engine.stats(id), (s) => s.cpuPercent > 30, { everyMs: 500 });
    assert.ok(busy.cpuPercent > 30, `a busy loop shows as busy, not ${busy.cpuPercent}%`);
    assert.equal(busy.pids, 1, 'sleep has exited: the shell alone is left');

    await run('node', [...cli, 'stop', '-t', '1', 'napper']);
    const stopped = await t.engine.stats(id);
    assert.equal(stopped.pids, 0);
    assert.equal(stopped.memoryUsage, 0);
    assert.equal(stopped.cpuPercent, 0);

    await run('node', [...cli, 'rm', 'napper']);
    await assert.rejects(t.engine.stats(id), /no such container/i);
  });
});
