// The TUI at 80x24 in a real pty (issue 24, defects 6, 7, 8, 9, 12): errors readable whole and
// kept in a history, the tab bar and columns laid out by priority, widths that do not jump,
// times that stay fresh, and the build pane.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

const SIZE = { cols: 80, rows: 24 };

describe('the TUI at 80x24', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
  });
  afterEach(() => {
    screen?.kill();
    screen = undefined;
  });
  after(async () => {
    await t.cleanup();
  });

  it('an error is shown whole, kept beside its command, listed by ! and expires', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'exited-3', cmd: ['sh', '-c', 'exit 3'] });
    await t.engine.waitContainer(record.id);
    screen = openStrataTui(t.root, t.runtimeDir, SIZE);
    const s = screen;
    await s.waitFor(/exited-3\s+test\/busy/, 20_000);
    await s.press('p');
    // the whole sentence, however it wraps
    const shown = await s.waitFor((text) => /is\s+not\s+running/.test(text.replace(/\n/g, ' ')));
    assert.match(shown.replace(/\s+/g, ' '), new RegExp(`Container ${record.id.slice(0, 20)}`));
    assert.match(shown, /✗ strata pause exited-3 {2}→ Container [0-9a-f]+/);
    await s.press('!');
    const history = await s.waitFor('Messages, newest first');
    // every character of it, across however many lines it takes
    assert.ok(history.replace(/[\s│]+/g, '').includes(`✗Container${record.id}isnotrunning`), history);
    await s.press('\x1b');
    await s.waitFor((text) => !text.includes('Messages, newest first'));
    // it expires: the key hints come back
    await s.waitFor((text) => /\? help/.test(text) && !/error:/.test(text), 40_000);
    await s.press('q');
    await s.exited;
  });

  it('every pane fits: every pane in the tab bar, NAME and IMAGE whole, hints that fit', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'web-frontend-1', cmd: ['sleep', '600'] });
    await t.engine.runContainer({ image: IMAGE, name: 'db', cmd: ['sleep', '600'] });
    screen = openStrataTui(t.root, t.runtimeDir, SIZE);
    const s = screen;
    const first = await s.waitFor(/web-frontend-1\s+test\/busybox:latest\s+running\s+Up /, 20_000);
    const tabs = first.split('\n')[0];
    // Eight panes need 90 columns: at 80 the shown one keeps its title, the others a short one;
    // the store's path gives way to them.
    assert.match(tabs, /^strata {2}1 Containers {2}2 Imag {2}3 Logs {2}4 Stat {2}5 Laye {2}6 Buil {2}7 Volu {2}8 Netw/);
    // widths from the whole list: filtering to the short name moves no column
    const header = (text: string) => text.split('\n').find((l) => l.startsWith('NAME'))!;
    const before = header(first);
    await s.press('/', 'd', 'b', '\r');
    const filtered = await s.waitFor(/filter: db/);
    assert.equal(header(filtered), before);
    await s.press('\x1b');
    for (const pane of ['1', '2', '3', '4', '5', '6', '7', '8']) {
      await s.press(pane);
      const text = await s.waitFor((screenText) => /\? help/.test(screenText));
      const lines = text.split('\n');
      assert.ok(lines.every((l) => l.length <= 80), text);
      assert.match(lines[0], /^strata {2}1 \w+ {2}2 \w+ {2}3 \w+ {2}4 \w+ {2}5 \w+ {2}6 \w+ {2}7 \w+ {2}8 \w+/, `pane ${pane}: the tab bar stays:\n${text}`);
      assert.match(text, /q quit/, `pane ${pane}: the hints fit:\n${text}`);
    }
    await s.press('q');
    await s.exited;
    await t.engine.removeContainer('web-frontend-1', true);
    await t.engine.removeContainer('db', true);
  });

  it('relative times stay fresh: the layer explorer\'s picker counts up a container\'s uptime', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'fresh', cmd: ['sleep', '600'] });
    screen = openStrataTui(t.root, t.runtimeDir, SIZE);
    const s = screen;
    await s.waitFor(/fresh\s+test\/busybox/, 20_000);
    await s.press('5');
    const seconds = (text: string) => Number(/fresh\s+test\/busybox:latest, Up (\d+) seconds/.exec(text)?.[1] ?? -1);
    const first = seconds(await s.waitFor((text) => seconds(text) >= 0));
    await s.waitFor((text) => seconds(text) >= first + 3, 10_000);
    await s.press('1');
    // the containers pane's STATUS counts up too (its cells follow the clock; the rows do not)
    const status = (text: string) => Number(/fresh\s+test\/busybox:latest\s+running\s+Up (\d+) seconds/.exec(text)?.[1] ?? -1);
    const shown = status(await s.waitFor((text) => status(text) >= 0));
    await s.waitFor((text) => status(text) >= shown + 2, 10_000);
    await s.press('q');
    await s.exited;
    await t.engine.removeContainer('fresh', true);
  });

  it('build pane: a CLI build in another terminal appears; a failed build is headed so; progress stays in the gutter', async () => {
    const context = path.join(t.base, 'build-ctx');
    fs.mkdirSync(context, { recursive: true });
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM test/busybox:latest\nRUN sleep 1; echo first-step\nRUN echo second-step\n');
    fs.writeFileSync(path.join(context, 'Failing.Dockerfile'), "FROM test/busybox:latest\nRUN printf 'Reading lists... 10%%\\rReading lists... 99%%\\rReading lists... Done\\n'; exit 2\n");
    screen = openStrataTui(t.root, t.runtimeDir, SIZE);
    const s = screen;
    await s.waitFor('NAME', 20_000);
    await s.press('6');
    await s.waitFor('no build yet');
    const cli = promisify(execFile)(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, 'build', '-t', 'cli-built:1', context]);
    await s.waitFor(/(Building|Built) .*cli-built:1.*by pid \d+/, 20_000);
    await cli;
    const built = await s.waitFor('Successfully tagged cli-built:1', 10_000);
    assert.match(built, /Step 3\/3 : RUN echo second-step\s+\[done/);

    await s.press('b');
    await s.waitFor('Build an image');
    await s.press('\x15', context, '\t', 'Failing.Dockerfile', '\t', '\r', '\r', '\r', '\r');
    const failed = await s.waitFor('failed (exit code 2)', 60_000);
    const lines = failed.split('\n');
    assert.match(lines[1], /^Build failed: /, failed);
    assert.ok(lines.some((l) => /^ {2}│ Reading lists\.\.\. Done\s*$/.test(l)), failed);
    // each progress update drawn over the last: one output line, not three run together
    assert.deepEqual(lines.filter((l) => l.startsWith('  │')).map((l) => l.trim()), ['│ Reading lists... Done'], failed);
    await s.press('q');
    await s.exited;
  });
});
