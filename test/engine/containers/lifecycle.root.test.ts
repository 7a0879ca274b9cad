import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../../source/engine/api.js';
import { IMAGE, collectLogs, execCollect, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';

describe('container lifecycle', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('runs a command, keeps its output and returns its exit code', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'echo hi; exit 3']);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.record.state.status, 'exited');
    assert.equal(r.record.state.exitCode, 3);
  });

  it('keeps stdout and stderr apart and in order', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'echo o1; sleep 0.05; echo e1 >&2; sleep 0.05; echo o2; sleep 0.05; echo e2 >&2']);
    assert.deepEqual(r.all, [['stdout', 'o1\n'], ['stderr', 'e1\n'], ['stdout', 'o2\n'], ['stderr', 'e2\n']]);
  });

  it('applies env, workdir, user and hostname', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'echo "$A"; pwd; id -u; id -g; hostname'], {
      env: ['A=1'], workdir: '/tmp', user: '1000:1000', hostname: 'h1',
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '1\n/tmp\n1000\n1000\nh1\n');
  });

  it('creates a missing workdir like docker', async () => {
    const r = await runToEnd(t.engine, ['pwd'], { workdir: '/does/not/exist' });
    assert.equal(r.stdout, '/does/not/exist\n');
  });

  it('reports a missing command as 127 and a non-executable file as 126', async () => {
    await assert.rejects(t.engine.runContainer({ image: IMAGE, cmd: ['no-such-command'], name: 'missing' }), (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.exitCode, 127);
      return true;
    });
    assert.equal((await t.engine.inspectContainer('missing')).state.exitCode, 127);
    await t.engine.removeContainer('missing');
    await assert.rejects(t.engine.runContainer({ image: IMAGE, cmd: ['/etc/passwd'], autoRemove: true }), (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.exitCode, 126);
      return true;
    });
  });

  it('stops with the stop signal, then SIGKILL after the timeout', async () => {
    // PID 1 ignores SIGTERM unless it handles it: sh does not, so stop falls back to SIGKILL
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'stubborn', cmd: ['sh', '-c', 'while :; do sleep 0.1; done'] });
    const started = Date.now();
    await t.engine.stopContainer('stubborn', 1);
    assert.ok(Date.now() - started >= 900, 'waited for the timeout');
    const r = await t.engine.inspectContainer(record.id);
    assert.equal(r.state.status, 'exited');
    assert.equal(r.state.exitCode, 137);

    await t.engine.runContainer({ image: IMAGE, name: 'polite', cmd: ['sh', '-c', 'trap "echo bye; exit 0" TERM; while :; do sleep 0.1; done'] });
    await sleep(200);
    await t.engine.stopContainer('polite', 10);
    const p = await t.engine.inspectContainer('polite');
    assert.equal(p.state.exitCode, 0);
    assert.equal((await collectLogs(t.engine, 'polite')).stdout, 'bye\n');
    await t.engine.removeContainer('stubborn');
    await t.engine.removeContainer('polite');
  });

  it('with --init puts an init in front that forwards stop signals and reaps orphans', async () => {
    // without --init, sh as PID 1 ignores SIGTERM (previous test); behind the init it dies of it
    await t.engine.runContainer({ image: IMAGE, name: 'inited', init: true, cmd: ['sh', '-c', '(sleep 1000 &); ps -o pid,ppid,comm; while :; do sleep 0.1; done'] });
    await sleep(300);
    const ps = (await collectLogs(t.engine, 'inited')).stdout;
    assert.match(ps, /^\s*1\s+0\s+init$/m, `PID 1 is the init: ${ps}`);
    assert.match(ps, /^\s*\d+\s+1\s+sh$/m, 'the command runs under it');
    const started = Date.now();
    await t.engine.stopContainer('inited', 10);
    assert.ok(Date.now() - started < 5000, 'SIGTERM was enough');
    assert.equal((await t.engine.inspectContainer('inited')).state.exitCode, 143);
    await t.engine.removeContainer('inited');
  });

  it('starts an exited container again from the same process, network and all', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'ip addr 2>/dev/null | grep -c inet; exit 4'] });
    assert.equal(await t.engine.waitContainer(record.id), 4);
    await t.engine.startContainer(record.id);
    assert.equal(await t.engine.waitContainer(record.id), 4);
    assert.equal((await collectLogs(t.engine, record.id)).stdout.split('\n').filter(Boolean).length, 2);
    await t.engine.removeContainer(record.id);
  });

  it('delivers kill signals, restarts, renames, waits and removes', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'sig', cmd: ['sh', '-c', 'trap "echo hup; exit 5" HUP; while :; do sleep 0.1; done'] });
    await sleep(200);
    await t.engine.killContainer('sig', 'HUP');
    assert.equal(await t.engine.waitContainer('sig'), 5);
    assert.equal((await collectLogs(t.engine, 'sig')).stdout, 'hup\n');

    const first = await t.engine.inspectContainer('sig');
    await t.engine.startContainer('sig');
    await t.engine.restartContainer('sig', 0);
    const restarted = await t.engine.inspectContainer('sig');
    assert.equal(restarted.state.status, 'running');
    assert.equal(restarted.restartCount, 0, 'docker counts only restart-policy restarts');
    assert.notEqual(restarted.state.startedAt, first.state.startedAt);

    await t.engine.renameContainer('sig', 'sig2');
    assert.equal((await t.engine.inspectContainer('sig2')).id, first.id);
    await assert.rejects(t.engine.inspectContainer('sig'), /No such container/);
    await assert.rejects(t.engine.removeContainer('sig2'), /stop the container before removing/);
    await t.engine.removeContainer('sig2', true);
    assert.equal((await t.engine.listContainers(true)).length, 0);
  });

  it('mounts a --rm container volatile and still restarts it with its files', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'rm-restart', autoRemove: true, cmd: ['sh', '-c', 'echo kept >> /f; sync; sleep 30'] });
    await sleep(200);
    const mountOptions = (id: string) => fs.readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.includes(`${id}/merged`));
    assert.match(mountOptions(record.id) ?? '', /\bvolatile\b/);
    await t.engine.restartContainer('rm-restart', 0);
    await sleep(200);
    const again = await t.engine.inspectContainer('rm-restart');
    assert.equal(again.state.status, 'running');
    const { stdout } = await execCollect(t.engine, 'rm-restart', ['cat', '/f']);
    assert.equal(stdout, 'kept\nkept\n');
    await t.engine.removeContainer('rm-restart', true);
    // an ordinary container's upper is synced as usual
    const { record: plain } = await t.engine.runContainer({ image: IMAGE, name: 'plain', cmd: ['sleep', '30'] });
    assert.doesNotMatch(mountOptions(plain.id) ?? 'missing', /volatile/);
    await t.engine.removeContainer('plain', true);
  });

  it('refuses a duplicate name and lists only running containers without all', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'dup', cmd: ['sleep', '30'] });
    await assert.rejects(t.engine.createContainer({ image: IMAGE, name: 'dup', cmd: ['true'] }), /already in use/);
    await t.engine.createContainer({ image: IMAGE, name: 'fresh', cmd: ['true'] });
    const running = await t.engine.listContainers(false);
    assert.deepEqual(running.map((c) => c.name), ['dup']);
    const all = await t.engine.listContainers(true);
    assert.deepEqual(all.map((c) => c.name).sort(), ['dup', 'fresh']);
    assert.equal(all.find((c) => c.name === 'fresh')!.statusText, 'Created');
    await t.engine.removeContainer('dup', true);
    await t.engine.removeContainer('fresh');
  });

  it('rotates logs by size and keeps the newest lines', async () => {
    const { record } = await t.engine.runContainer({
      image: IMAGE, cmd: ['sh', '-c', 'i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done'],
      log: { maxSizeBytes: 20_000, maxFiles: 3 },
    });
    await t.engine.waitContainer(record.id);
    const lines: string[] = [];
    for await (const e of t.engine.readLogs(record.id)) lines.push(e.line);
    assert.ok(lines.length < 3000, 'old lines rotated away');
    assert.equal(lines.at(-1), 'line 2999\n');
    const numbers = lines.map((l) => Number(l.split(' ')[1]));
    for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1] + 1, 'no line lost or repeated');
    const tail: string[] = [];
    for await (const e of t.engine.readLogs(record.id, { tail: 2 })) tail.push(e.line);
    assert.deepEqual(tail, ['line 2998\n', 'line 2999\n']);
    await t.engine.removeContainer(record.id);
  });

  it('reads a log of 300k lines whole, and its tail without reading it all', async () => {
    // ~20 MB of json-file records: more lines than one call may spread, more than a tail needs
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['seq', '1', '300000'] });
    await t.engine.waitContainer(record.id);
    const tail: string[] = [];
    for await (const e of t.engine.readLogs(record.id, { tail: 3 })) tail.push(e.line);
    assert.deepEqual(tail, ['299998\n', '299999\n', '300000\n']);
    let count = 0;
    let last = 0;
    for await (const e of t.engine.readLogs(record.id)) {
      const n = Number(e.line);
      assert.equal(n, last + 1, 'in order, none lost');
      last = n;
      count++;
    }
    assert.equal(count, 300_000);
    const followed: string[] = [];
    for await (const e of t.engine.readLogs(record.id, { tail: 1, follow: true })) followed.push(e.line);
    assert.deepEqual(followed, ['300000\n']);
    await t.engine.removeContainer(record.id);
  });

  it('follows a log across rotations without losing or repeating a line', async () => {
    // ~160 KB of records through 4 KB files: dozens of rotations while the follower reads, and
    // room for all of them, so a slow reader on a busy machine still has every line to find
    const { record } = await t.engine.runContainer({
      image: IMAGE, cmd: ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo "n $i"; i=$((i+1)); [ $((i % 200)) -eq 0 ] && sleep 0.1; done'],
      log: { maxSizeBytes: 4096, maxFiles: 100 },
    });
    const numbers: number[] = [];
    for await (const e of t.engine.readLogs(record.id, { follow: true })) numbers.push(Number(e.line.split(' ')[1]));
    assert.equal(numbers.length, 2000, `got ${numbers.length} lines`);
    numbers.forEach((n, i) => assert.equal(n, i, `line ${i} in order, once`));
    await t.engine.removeContainer(record.id);
  });

  it('follows a quiet log for long without piling up listeners, and stops when aborted', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'echo once; sleep 30'] });
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of t.engine.readLogs(record.id, { follow: true, signal: abort.signal })) seen.push(e.line.trim());
    })();
    await sleep(3500); // several waits of the follower
    assert.ok(getEventListeners(abort.signal, 'abort').length <= 1, `${getEventListeners(abort.signal, 'abort').length} abort listeners`);
    abort.abort();
    await reading;
    assert.deepEqual(seen, ['once']);
    await t.engine.removeContainer(record.id, true);
  });

  it('follows a live log until the container exits', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo $i; sleep 0.1; done'] });
    const seen: string[] = [];
    for await (const e of t.engine.readLogs(record.id, { follow: true })) seen.push(e.line.trim());
    assert.deepEqual(seen, ['1', '2', '3', '4', '5']);
    await t.engine.removeContainer(record.id);
  });
});
