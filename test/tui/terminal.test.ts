// The terminal around the TUI, in a real pty on the fake engine (no root needed): the
// alternate screen, a redraw at the new size on resize, restoration on SIGTERM and on quit.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PtyScreen } from './pty-screen.js';

const repo = path.resolve(import.meta.dirname, '../..');
let screen: PtyScreen | undefined;
afterEach(() => screen?.kill());

function open(cols = 100, rows = 30): PtyScreen {
  screen = new PtyScreen(process.execPath, ['--import', 'tsx', path.join(repo, 'test/tui/dev-tui.ts')], { cols, rows, cwd: repo, env: { FAKE_CONTAINERS: '40' } });
  return screen;
}

test('resize redraws the whole screen at the new size', async () => {
  const s = open(100, 30);
  await s.waitFor('web-000', 20_000);
  s.resize(70, 20);
  // The status bar on the new last-but-one row, and the table laid out again at 70 columns.
  await s.waitFor((t) => t.split('\n')[18]?.startsWith('⏎ logs') && /^web-000\s+demo\/bus…/m.test(t));
  s.resize(120, 35);
  await s.waitFor((t) => t.split('\n')[33]?.includes('⏎ logs'));
});

test('SIGTERM leaves the alternate screen and shows the cursor again', async () => {
  const s = open();
  await s.waitFor('web-000', 20_000);
  assert.ok(s.onAltScreen());
  s.process.kill('SIGTERM');
  const code = await s.exited;
  assert.equal(code, 143);
  assert.ok(!s.onAltScreen());
  assert.ok(s.raw.includes('\x1b[?25h\x1b[?1049l'));
});

test('q quits with status 0 and the terminal restored', async () => {
  const s = open();
  await s.waitFor('web-000', 20_000);
  s.write('q');
  assert.equal(await s.exited, 0);
  assert.ok(!s.onAltScreen());
});
