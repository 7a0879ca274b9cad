// A shell in a pane, in a real terminal: `e` opens it under the containers list, it runs what
// is typed (Ctrl-C included) while the list above keeps following the store, Ctrl-G moves the
// keys between the shell and the lists, and the pane goes when the shell exits.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The screen row (0 = top) of the first line matching `pattern`, or -1. */
function rowOf(s: PtyScreen, pattern: RegExp): number {
  return s.text().split('\n').findIndex((line) => pattern.test(line));
}

describe('a shell in a pane', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
    await t.engine.runContainer({ image: IMAGE, name: 'dock-host', cmd: ['sleep', '1000'], network: 'none' });
  });
  afterEach(() => {
    screen?.kill();
    screen = undefined;
  });
  after(async () => {
    await t.cleanup();
  });

  for (const [cols, rows] of [[80, 24], [220, 60]] as const) {
    it(`runs echo while the containers list above it still updates (${cols}x${rows})`, async () => {
      const s = (screen = openStrataTui(t.root, t.runtimeDir, { cols, rows }));
      await s.waitFor(/dock-host\s+test\/bus/, 20_000);
      await s.press('e');
      await s.waitFor(/^\/ # /m, 15_000);
      const listRow = rowOf(s, /dock-host\s+test\/bus/);
      const shellTabRow = rowOf(s, /^shell\s+1 dock-host/);
      assert.ok(shellTabRow > listRow, `the shell sits under the list:\n${s.text()}`);

      s.write('echo in-$((6*7))\r');
      await s.waitFor(/^in-42\s*$/m);
      assert.ok(rowOf(s, /^in-42\s*$/) > shellTabRow, 'the output is drawn in the shell pane');

      // The list follows the store while the shell has the keys.
      const name = `late-${cols}`;
      execFileSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, 'run', '-d', '--network', 'none', '--name', name, IMAGE, 'sleep', '1000']);
      await s.waitFor(new RegExp(`${name}\\s+test/bus`), 10_000);
      assert.ok(rowOf(s, new RegExp(`${name}\\s+test/bus`)) < shellTabRow, 'the new container appears in the list above');

      // Ctrl-C interrupts the shell's program, not the TUI.
      s.write('sleep 30\r');
      await delay(300);
      s.write('\x03');
      await s.waitFor((text) => (text.match(/^\/ # /gm) ?? []).length >= 3, 10_000);
      assert.equal(s.exitCode, undefined, 'the TUI still runs');

      // Ctrl-G: keys back to the lists (the shell gets no `x`), then to the shell again.
      s.write('\x07');
      await s.waitFor('ctrl-g to type in the shell');
      await s.press('?');
      await s.waitFor('Keys (');
      for (let page = 0; page < 6 && !s.text().includes('In a shell pane'); page++) await s.press('\x1b[6~'); // PgDn
      await s.waitFor('In a shell pane');
      s.write('\x1b');
      await s.waitFor(/^shell\s+1 dock-host/m);
      s.write('\x07');
      await s.waitFor('keys go to the shell');
      s.write('exit\r');
      await s.waitFor('shell in dock-host exited', 10_000);
      await s.waitFor((text) => !/^shell\s+1 dock-host/m.test(text));
      execFileSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, 'rm', '-f', name]);
      await s.press('q');
      await s.exited;
    });
  }
});
