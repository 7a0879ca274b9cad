// Compose projects in the Containers pane (the built CLI in a real pty, on a real store, the
// project brought up by `strata compose up -d`): a header row per project with how many of its
// containers run, its containers under it, folded and unfolded with z; the filter and marks work
// across it; on the header l shows its logs merged and s x r d act on the whole project as
// `strata compose -p NAME VERB` does.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

const CLI = path.join(repo, 'dist/strata.js');
// Stops at once on SIGTERM, uses no CPU.
const IDLE = `["sh", "-c", "echo ready; trap 'exit 0' TERM; sleep 100000 & wait"]`;

const COMPOSE = `
name: shop
services:
  web:
    image: ${IMAGE}
    command: ${IDLE}
    depends_on: [db]
  db:
    image: ${IMAGE}
    command: ${IDLE}
  worker:
    image: ${IMAGE}
    command: ${IDLE}
    depends_on: [db]
`;

describe('compose projects in the containers pane', () => {
  let t: TestEngine;
  let dir: string;
  let screen: PtyScreen | undefined;
  const strata = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, `strata ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const states = async () => Object.fromEntries((await t.engine.listContainers(true)).map((c) => [c.name, c.status]));

  before(async () => {
    t = await makeTestEngine();
    dir = path.join(t.base, 'shop');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
  });
  afterEach(async () => {
    screen?.kill();
    screen = undefined;
    strata(dir, 'compose', 'down', '-v');
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true).catch(() => undefined);
  });
  after(async () => {
    await t.cleanup();
  });

  for (const [cols, rows] of [[80, 24], [220, 60]]) {
    it(`groups the project under a header; z folds it; / and marks work; l merges its logs; s x r d on the header act on the project (${cols}x${rows})`, async () => {
      strata(dir, 'compose', 'up', '-d');
      await t.engine.runContainer({ image: IMAGE, name: 'lonely', cmd: ['sh', '-c', 'trap "exit 0" TERM; sleep 100000 & wait'], network: 'none' });
      screen = openStrataTui(t.root, t.runtimeDir, { cols, rows });
      const s = screen;
      const header = (running: number) => `▾ shop  compose project: ${running} running / 3 total`;
      let text = await s.waitFor((x) => x.includes(header(3)) && /^lonely\s+test\/bu/m.test(x), 20_000);
      // The header first (the cursor's row), its containers indented under it, the standalone one after.
      const order = ['▾ shop', '  shop-db-1 ', '  shop-web-1 ', '  shop-worker-1 ', 'lonely '].map((n) => text.indexOf(`\n${n}`));
      assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1])), `header, members, standalone:\n${text}`);

      // z folds the project to its header (counts kept) and unfolds it.
      await s.press('z');
      text = await s.waitFor('▸ shop  compose project: 3 running / 3 total');
      assert.doesNotMatch(text, /shop-db-1/);
      assert.match(text, /^lonely\s/m);
      await s.press('z');
      await s.waitFor(/^ {2}shop-db-1\s/m);

      // The filter keeps the project of a matching container, with the whole project's counts.
      await s.press('/', 'w', 'o', 'r', 'k', '\r');
      text = await s.waitFor((x) => x.includes('filter: work') && !/^lonely\s/m.test(x));
      assert.ok(text.includes(header(3)));
      assert.match(text, /^ {2}shop-worker-1\s/m);
      assert.doesNotMatch(text, /shop-web-1/);
      await s.press('\x1b');
      await s.waitFor(/^lonely\s/m);

      // Space on the header marks its three containers; M unmarks.
      await s.press('g', ' ');
      await s.waitFor('3 marked');
      assert.match(s.text(), /^ {2}\+ shop-web-1\s/m);
      await s.press('M');
      await s.waitFor((x) => !x.includes('marked'));

      // l on the header: the project's logs merged, each line marked with its container.
      await s.press('g', 'l');
      text = await s.waitFor((x) => x.includes('logs shop-db-1 + shop-web-1') && (x.match(/ready/g) ?? []).length >= 3);
      for (const name of ['shop-db-1', 'shop-web-1', 'shop-worker-1']) assert.match(text, new RegExp(`${name}\\s.*ready`), text);
      await s.press('1');
      await s.waitFor(header(3));

      // Keys that act on one container say so on a header, rather than do nothing.
      await s.press('g', 'p');
      await s.waitFor('shop is a compose project: s x r d act on it');

      // x on the header: one question, then the project stopped; the standalone container runs on.
      await s.press('x');
      await s.waitFor('Stop compose project shop, 3 containers');
      await s.press('y');
      await s.waitFor('✓ strata compose -p shop stop', 30_000);
      await s.waitFor(header(0));
      assert.deepEqual(await states(), { 'shop-db-1': 'exited', 'shop-web-1': 'exited', 'shop-worker-1': 'exited', lonely: 'running' });
      // The command the log shows runs as it is, from a directory with no compose file (the labels name it).
      assert.match(strata(t.base, 'compose', '-p', 'shop', 'stop'), /^$/);
      assert.equal(strata(t.base, 'compose', '-p', 'shop', 'ps', '-a').trim().split('\n').filter((l) => /^shop-\w+-1\s.*Exited/.test(l)).length, 3);

      // s starts it (at once), db before what depends on it.
      await s.press('s');
      await s.waitFor('✓ strata compose -p shop start', 30_000);
      await s.waitFor(header(3));
      const started = Object.fromEntries(await Promise.all(['shop-db-1', 'shop-web-1', 'shop-worker-1'].map(async (n) => [n, Date.parse((await t.engine.inspectContainer(n)).state.startedAt)] as const)));
      assert.ok(started['shop-db-1'] <= started['shop-web-1'] && started['shop-db-1'] <= started['shop-worker-1'], JSON.stringify(started));

      // r restarts every container of it.
      const pids = await Promise.all(['shop-db-1', 'shop-web-1', 'shop-worker-1'].map(async (n) => (await t.engine.inspectContainer(n)).state.pid));
      await s.press('r');
      await s.waitFor('Restart compose project shop');
      await s.press('y');
      await s.waitFor('✓ strata compose -p shop restart', 30_000);
      const after = await Promise.all(['shop-db-1', 'shop-web-1', 'shop-worker-1'].map((n) => t.engine.inspectContainer(n)));
      after.forEach((c, i) => assert.ok(c.state.running && c.state.pid !== pids[i], `${c.name} restarted`));
      await s.waitFor(header(3));

      // d stops and removes the project's containers; the header goes with them.
      await s.press('d');
      await s.waitFor('Stop and remove compose project shop, 3 containers');
      await s.press('y');
      await s.waitFor('✓ strata compose -p shop rm -s -f', 30_000);
      await s.waitFor((x) => !x.includes('compose project') && /^lonely\s/m.test(x));
      assert.deepEqual(await states(), { lonely: 'running' });
      await s.press('q');
      await s.exited;
    });
  }
});
