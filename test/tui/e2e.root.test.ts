// `strata` (the built CLI, no verb) in a real pseudo-terminal on a real store: start a
// container from the images pane, see it running, tail its logs as lines arrive, pause it and
// see it paused, open a shell and run a command, quit — and find the terminal restored. A log
// printing as fast as it can stands still with follow off; images another process tags and
// removes come and go.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

describe('the TUI end to end', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
  });
  // a test that fails mid-way leaves its TUI running: end it before the next one opens another
  afterEach(() => {
    screen?.kill();
    screen = undefined;
  });

  after(async () => {
    await t.cleanup();
  });

  it('runs, tails, pauses, opens a shell and quits cleanly', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor('no containers', 20_000);
    assert.ok(s.onAltScreen(), 'the TUI runs on the alternate screen');

    await s.press('2');
    await s.waitFor(/test\/busybox:latest\s+[0-9a-f]{12}/);
    await s.press('R');
    await s.waitFor(`Run ${IMAGE}`);
    await s.press('ticker', '\r');
    await s.press(`sh -c 'n=0; while :; do n=$((n+1)); echo "tick $n"; sleep 0.3; done'`, '\r', '\r', '\r', '\r');
    await s.waitFor(/ticker\s+test\/busybox:latest\s+running/, 20_000);
    await s.waitFor('✓ strata run -d --name ticker');

    await s.press('\r');
    const first = await s.waitFor(/tick \d+/);
    const last = (text: string) => Math.max(...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const before = last(first);
    await s.waitFor((text) => /tick \d+/.test(text) && last(text) >= before + 2, 10_000);
    // y copies the bottom line through the terminal (OSC 52).
    await s.press('f', 'y');
    const copied = await s.waitFor(/copied: tick \d+/);
    const line = /copied: (tick \d+)/.exec(copied)![1];
    assert.ok(s.raw.includes(`\x1b]52;c;${Buffer.from(line).toString('base64')}\x07`), 'OSC 52 with the line');

    await s.press('1');
    await s.waitFor('NAME↑');
    await s.press('p');
    await s.waitFor(/ticker\s+\S+\s+paused/);
    await s.waitFor('✓ strata pause ticker');
    assert.equal((await t.engine.inspectContainer('ticker')).state.paused, true);
    await s.press('p');
    await s.waitFor(/ticker\s+\S+\s+running/);

    await s.press('T'); // the whole terminal handed to the shell
    await s.waitFor('/ #', 10_000);
    s.write('echo in-$((6*7))\r');
    await s.waitFor('in-42');
    s.write('exit\r');
    await s.waitFor('shell in ticker closed', 10_000);
    assert.ok(s.onAltScreen());
    await s.waitFor(/ticker\s+\S+\s+running/); // back where we were

    await s.press('q');
    const code = await Promise.race([s.exited, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('did not quit')), 5000))]);
    assert.equal(code, 0);
    assert.ok(!s.onAltScreen(), 'back on the main screen');
    assert.ok(s.raw.includes('\x1b[?25h\x1b[?1049l'), 'cursor shown and alternate screen left');
  });

  it('follow off keeps the top line of a log printing as fast as it can, for 5 s', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'flood', cmd: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo line $i; done'] });
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor(/flood\s+test\/busybox/, 20_000);
    await s.press('\r');
    await s.waitFor(/line \d+/);
    await s.press('f');
    await s.waitFor('follow off');
    // lines that arrived after follow went off are counted, not shown: the view is held from here
    await s.waitFor(/\+[\d,]+ new/, 20_000);
    const topLine = () => /^\s+(line \d+)\s*$/m.exec(s.text())?.[1];
    const top = topLine();
    assert.ok(top, `a top line:\n${s.text()}`);
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      assert.equal(topLine(), top, `the top line stays:\n${s.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.match(s.text(), /\+[\d,]+ new/);
    await s.press('k');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = Number(/^\s+line (\d+)\s*$/m.exec(s.text())?.[1]);
    assert.ok(after <= Number(top!.slice(5)), `k shows older lines, not newer (${top} → line ${after})`);
    await t.engine.removeContainer('flood', true);
    await s.press('q');
    await s.exited;
  });

  it('an image tagged and removed by the CLI in another process appears and disappears within a second', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor('NAME', 20_000);
    await s.press('2');
    await s.waitFor(/test\/busybox:latest\s+[0-9a-f]{12}/);
    const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, ...args]);
    cli('tag', IMAGE, 'elsewhere/tagged:v1');
    await s.waitFor(/elsewhere\/tagged:v1\s+[0-9a-f]{12}/, 1000);
    cli('rmi', 'elsewhere/tagged:v1');
    await s.waitFor((text) => !text.includes('elsewhere/tagged:v1'), 1000);
    await s.press('q');
    await s.exited;
  });
});
