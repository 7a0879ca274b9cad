// What a strata process killed mid-remove or mid-create leaves is finished or undone by the next
// strata process when it opens the store, not left for `system check`. The removes are real
// SIGKILLs of `strata rm` and `strata volume rm` while they delete (a tree big enough to catch
// them at it); a create's staging directory lives for a moment only, so it is made here exactly
// as a killed create leaves it, named with a pid that is dead.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../source/engine/engine.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repo, 'dist/strata.js');
const skip = !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;

function fill(dir: string, files: number): void {
  for (let d = 0; d < files / 1000; d++) {
    fs.mkdirSync(path.join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(dir, `d${d}`, `f${f}`), 'x');
  }
}

function deadPid(): number {
  const r = spawnSync('true');
  assert.ok(r.pid);
  return r.pid;
}

/** Starts the CLI and SIGKILLs it as soon as an entry matching `leftover` appears in `dir`; returns that entry. */
async function killWhenSeen(t: TestEngine, args: string[], dir: string, leftover: RegExp): Promise<string> {
  const child = spawn(process.execPath, [cli, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let seen: string | undefined;
  for (let i = 0; i < 20_000 && !seen; i++) {
    seen = fs.readdirSync(dir).find((n) => leftover.test(n));
    if (!seen) await sleep(1);
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(seen, `no ${leftover} appeared`);
  assert.ok(fs.existsSync(path.join(dir, seen)), 'the kill came after the delete had finished: nothing was interrupted');
  return seen;
}

describe('interrupted work is finished by the next strata process', { skip, timeout: 300_000 }, () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  const containersDir = () => path.join(t.root, 'containers');

  it('finishes a container removal cut short by SIGKILL', async () => {
    const record = await t.engine.createContainer({ image: IMAGE, name: 'doomed', cmd: ['true'] });
    await t.engine.startContainer('doomed');
    await t.engine.waitContainer('doomed');
    fill(path.join(containersDir(), record.id, 'upper'), 3_000);
    const left = await killWhenSeen(t, ['rm', 'doomed'], containersDir(), new RegExp(`^${record.id}\\.removing-\\d+$`));
    const next = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    assert.ok(!fs.existsSync(path.join(containersDir(), left)), 'the removal was finished');
    assert.ok(!fs.existsSync(path.join(t.runtimeDir, 'containers', record.id)), 'its run dir went too');
    assert.deepEqual((await next.check()).filter((p) => p.kind === 'container-partial'), []);
    assert.ok(!(await next.listContainers(true)).some((c) => c.id === record.id));
    await next.close();
  });

  it('finishes a volume removal cut short by SIGKILL, and system check sees one in progress', async () => {
    const volumesDir = path.join(t.root, 'volumes');
    t.engine.volumes.create('doomedvol');
    fill(path.join(volumesDir, 'doomedvol', '_data'), 3_000);
    const left = await killWhenSeen(t, ['volume', 'rm', 'doomedvol'], volumesDir, /^\.doomedvol\.removing-\d+$/);
    // seen by system check while its remover is taken to be alive (this process's pid)
    const live = path.join(volumesDir, `.other.removing-${process.pid}`);
    fs.mkdirSync(live);
    const next = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    assert.ok(!fs.existsSync(path.join(volumesDir, left)), 'the removal was finished');
    assert.ok(fs.existsSync(live), 'a live remover is left alone');
    assert.deepEqual((await next.check()).filter((p) => p.kind === 'volume-partial').map((p) => p.path), [live]);
    fs.rmdirSync(live);
    assert.ok(!next.volumes.list().some((v) => v.name === 'doomedvol'));
    await next.close();
  });

  it('removes what a killed create staged, for containers and volumes', async () => {
    const pid = deadPid();
    const id = 'c'.repeat(64);
    const staging = path.join(containersDir(), `${id}.creating-${pid}`);
    for (const sub of ['upper', 'work', 'merged', 'logs']) fs.mkdirSync(path.join(staging, sub), { recursive: true });
    fs.writeFileSync(path.join(staging, 'container.json'), '{}');
    const volumeStaging = path.join(t.root, 'volumes', `.halfvol.creating-${pid}`);
    fs.mkdirSync(path.join(volumeStaging, '_data'), { recursive: true });
    const next = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    assert.ok(!fs.existsSync(staging));
    assert.ok(!fs.existsSync(volumeStaging));
    assert.deepEqual((await next.check()).filter((p) => p.kind.endsWith('-partial')), []);
    await next.close();
  });
});
