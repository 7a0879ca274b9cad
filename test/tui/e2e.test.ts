// The real TUI in a real pseudo-terminal on a real engine: see a running container, pause it
// and see it paused, open its logs and see new lines arrive, open a shell, quit, and find
// the terminal restored. Needs root (containers); skipped otherwise.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { PtyScreen } from './pty-screen.js';

const repo = path.resolve(import.meta.dirname, '../..');

/** `strata` with no verb once the CLI opens the TUI; until then the stand-in script. */
function tuiCommand(root: string, runtimeDir: string): [string, string[]] {
  const cliOpensTui = fs.existsSync(path.join(repo, 'dist/strata.js')) && /runTui/.test(fs.readFileSync(path.join(repo, 'source/cli/main.ts'), 'utf8'));
  const globals = ['--root', root, '--runtime-dir', runtimeDir];
  if (cliOpensTui) return [process.execPath, [path.join(repo, 'dist/strata.js'), ...globals]];
  return [process.execPath, ['--import', 'tsx', path.join(repo, 'test/tui/run-tui.ts'), ...globals, '--refresh-ms', '500']];
}

describe('the TUI end to end', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : false }, () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
    await t.engine.runContainer({ image: IMAGE, name: 'ticker', cmd: ['sh', '-c', 'n=0; while :; do n=$((n+1)); echo "tick $n"; sleep 0.3; done'] });
  });
  after(async () => {
    screen?.kill();
    await t.cleanup();
  });

  it('shows, pauses, tails, opens a shell and quits cleanly', async () => {
    const [file, args] = tuiCommand(t.root, t.runtimeDir);
    screen = new PtyScreen(file, args, { cols: 110, rows: 30, cwd: repo });
    await screen.waitFor(/ticker\s+test\/busybox:latest\s+running/, 20_000);
    assert.ok(screen.onAltScreen(), 'the TUI runs on the alternate screen');

    screen.write('p');
    await screen.waitFor(/ticker\s+\S+\s+paused/);
    await screen.waitFor('✓ strata pause ticker');
    screen.write('p');
    await screen.waitFor(/ticker\s+\S+\s+running/);

    screen.write('\r');
    const first = await screen.waitFor(/tick \d+/);
    const last = (text: string) => Math.max(...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const before = last(first);
    await screen.waitFor((text) => /tick \d+/.test(text) && last(text) >= before + 2, 10_000);

    screen.write('1');
    await screen.waitFor('NAME↑');
    screen.write('e');
    await screen.waitFor('/ #', 10_000);
    assert.ok(!screen.onAltScreen(), 'the shell has the whole terminal');
    screen.write('echo in-$((6*7))\r');
    await screen.waitFor('in-42');
    screen.write('exit\r');
    await screen.waitFor('shell in ticker closed', 10_000);
    assert.ok(screen.onAltScreen());

    screen.write('q');
    const code = await Promise.race([screen.exited, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('did not quit')), 5000))]);
    assert.equal(code, 0);
    assert.ok(!screen.onAltScreen(), 'back on the main screen');
    assert.ok(screen.raw.endsWith('\x1b[?1049l') || screen.raw.includes('\x1b[?25h\x1b[?1049l'), 'cursor shown and alternate screen left');
  });
});
