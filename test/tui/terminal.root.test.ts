// The terminal around the TUI: `strata` in a real pty on a real store — the alternate screen,
// a redraw at the new size on resize, restoration on SIGTERM and on quit, and the config
// file's keys and theme.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

describe('the terminal around the TUI', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;
  const configFile = () => path.join(t.base, 'config', 'strata-nodejs', 'config.json');

  before(async () => {
    t = await makeTestEngine();
    for (let i = 0; i < 40; i++) await t.engine.createContainer({ image: IMAGE, name: `web-${String(i).padStart(3, '0')}`, cmd: ['true'] });
  });
  afterEach(() => {
    screen?.kill();
    fs.rmSync(path.join(t.base, 'config'), { recursive: true, force: true });
  });
  after(() => t.cleanup());

  const open = (cols = 100, rows = 30, env: Record<string, string> = {}) => (screen = openStrataTui(t.root, t.runtimeDir, { cols, rows, env }));

  it('resize redraws the whole screen at the new size', async () => {
    const s = open(100, 30);
    await s.waitFor('web-000', 20_000);
    s.resize(70, 20);
    // The status bar on the new last-but-one row, and the table laid out again at 70 columns.
    await s.waitFor((text) => text.split('\n')[18]?.startsWith('⏎ logs') && /^web-000\s+test\/bus/m.test(text) && text.split('\n').every((l) => l.length <= 70));
    s.resize(120, 35);
    await s.waitFor((text) => text.split('\n')[33]?.includes('⏎ logs'));
  });

  it('SIGTERM leaves the alternate screen and shows the cursor again', async () => {
    const s = open();
    await s.waitFor('web-000', 20_000);
    assert.ok(s.onAltScreen());
    s.process.kill('SIGTERM');
    const code = await s.exited;
    assert.equal(code, 143);
    assert.ok(!s.onAltScreen());
    assert.ok(s.raw.includes('\x1b[?25h\x1b[?1049l'));
  });

  it('q quits with status 0 and the terminal restored', async () => {
    const s = open();
    await s.waitFor('web-000', 20_000);
    s.write('q');
    assert.equal(await s.exited, 0);
    assert.ok(!s.onAltScreen());
  });

  it('keys and the refresh interval come from the config file; NO_COLOR drops colour', async () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ tui: { refreshMs: 1000, keys: { global: { quit: ['Q'] }, containers: { stop: ['S'] } } } }));
    const s = open(100, 30, { NO_COLOR: '1' });
    await s.waitFor('web-000', 20_000);
    await s.waitFor(/S stop/, 20_000); // the hints line may come in a later write than the list
    assert.ok(!/\x1b\[3[0-7]m/.test(s.raw), 'no colours under NO_COLOR');
    s.write('q'); // no longer quits
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(s.exitCode, undefined);
    s.write('Q');
    assert.equal(await s.exited, 0);
  });

  it('without a terminal, `strata` prints the containers like `ps -a` instead', () => {
    const r = spawnSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: path.join(t.base, 'config') } });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    assert.equal(lines.length, 41);
    assert.ok(!r.stdout.includes('\x1b['), 'no escapes');
  });

  it('a broken config file is one clear error, not a crash', async () => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ tui: { refreshMs: 'soon' } }));
    const s = open();
    assert.equal(await s.exited, 125);
    assert.match(s.text().replace(/\n/g, ''), /strata: config file .*config\.json: "tui\.refreshMs" must be a positive number/);
  });
});
