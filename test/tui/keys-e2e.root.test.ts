// Keys in a real pty, as ssh, key repeat and tmux send-keys deliver them: many keys in one
// write all count; Esc then a key is two keys; bad key bindings are refused before the screen
// is taken; Ctrl-C always quits; Ctrl-Z stops the process as a shell job and fg redraws it.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

const CONTAINERS = 60;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The text of the row drawn in inverse video below the tab bar: the selected container. */
const selectedRow = (s: PtyScreen) => s.selectedRow();

/**
 * What a process that exited printed, as plain text: the pty can report the exit before its last
 * bytes are read, and the emulated screen parses writes later still, so wait for the bytes.
 */
async function printedBeforeExit(s: PtyScreen, expected: RegExp, timeoutMs = 5_000): Promise<string> {
  const plain = () => s.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r?\n/g, '');
  const deadline = Date.now() + timeoutMs;
  while (!expected.test(plain()) && Date.now() < deadline) await delay(20);
  return plain();
}

async function waitForSelected(s: PtyScreen, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!selectedRow(s)?.startsWith(`${name} `)) {
    if (Date.now() > deadline) throw new Error(`${name} not selected; selected: ${selectedRow(s)}\n${s.text()}`);
    await new Promise<void>((resolve) => s.term.write('', resolve));
    await delay(30);
  }
}

function processState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0];
}

describe('keys in a real terminal', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : false }, () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;
  const configFile = () => path.join(t.base, 'config', 'strata-nodejs', 'config.json');
  const writeConfig = (tui: unknown) => {
    fs.mkdirSync(path.dirname(configFile()), { recursive: true });
    fs.writeFileSync(configFile(), JSON.stringify({ tui }));
  };
  const name = (i: number) => `k-${String(i).padStart(3, '0')}`;

  before(async () => {
    t = await makeTestEngine();
    // Created, not started: the containers pane lists all of them, like ps -a.
    for (let i = 0; i < CONTAINERS; i++) await t.engine.createContainer({ image: IMAGE, name: name(i), cmd: ['true'], network: 'none' });
  });
  afterEach(() => {
    screen?.kill();
    screen = undefined;
    fs.rmSync(configFile(), { force: true });
  });
  after(() => t.cleanup());

  it('50 j in one write move 50 rows; Down ×3 in one write moves 3', async () => {
    const s = (screen = openStrataTui(t.root, t.runtimeDir));
    await s.waitFor(name(0), 20_000);
    await waitForSelected(s, name(0));
    s.write('j'.repeat(50));
    await waitForSelected(s, name(50));
    s.write('\x1b[B\x1b[B\x1b[B');
    await waitForSelected(s, name(53));
    await delay(300);
    assert.ok(selectedRow(s)?.startsWith(`${name(53)} `), 'no key counted twice');
  });

  it('Esc then a key: Esc closes the help, the key after it still counts', async () => {
    const s = (screen = openStrataTui(t.root, t.runtimeDir));
    await s.waitFor(name(0), 20_000);
    await s.press('?');
    await s.waitFor('pause/unpause');
    const from = s.raw.length;
    s.write('\x1b');
    await delay(150);
    s.write('2');
    // The images pane's keys drawn: Esc closed the help and 2 was a key of its own. (Read from
    // what was written, not the emulated screen: lines of the closed help can stay on it.)
    const deadline = Date.now() + 20_000; // a loaded machine draws late; a lost key never draws it
    while (!s.raw.slice(from).includes('REPOSITORY')) {
      if (Date.now() > deadline) throw new Error(`the images pane did not come:\n${s.text()}`);
      await delay(50);
    }
 
    // Both in one read, as a busy moment delivers them: Alt-1 is bound to nothing, so it is Esc, 1.
    await s.press('?');
    await s.waitFor('Keys (page');
    const again = s.raw.length;
    s.write('\x1b1');
    const until = Date.now() + 20_000;
    while (!s.raw.slice(again).includes('NAME')) {
      if (Date.now() > until) throw new Error(`Esc and 1 in one read did not close the help and show containers:\n${s.text()}`);
      await delay(50);
    }
  });

  it('a key bound to two actions, or an unknown action, is refused before the screen is taken', async () => {
    writeConfig({ keys: { containers: { stop: ['j'] } } });
    let s = (screen = openStrataTui(t.root, t.runtimeDir));
    assert.notEqual(await s.exited, 0);
    assert.match(await printedBeforeExit(s, /bound to both/), /strata: config file .*config\.json: key "j" is bound to both containers\.stop and list\.down/);
    assert.ok(!s.raw.includes('\x1b[?1049h'), 'the alternate screen was never entered');

    writeConfig({ keys: { containers: { stopp: ['x'] } } });
    s = screen = openStrataTui(t.root, t.runtimeDir);
    assert.notEqual(await s.exited, 0);
    assert.match(await printedBeforeExit(s, /no such action/), /"tui\.keys\.containers\.stopp": no such action in containers/);
    assert.ok(!s.raw.includes('\x1b[?1049h'));
  });

  it('Ctrl-C quits even when quit is bound to other keys', async () => {
    writeConfig({ keys: { global: { quit: ['Q'] } } });
    const s = (screen = openStrataTui(t.root, t.runtimeDir));
    await s.waitFor(name(0), 20_000);
    s.write('\x03');
    assert.equal(await s.exited, 0);
    assert.ok(!s.onAltScreen());
  });

  it('Ctrl-Z stops the process with the terminal restored; fg brings the screen back', async () => {
    const cli = [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir].map((a) => `'${a}'`).join(' ');
    // A job-control shell, as a user's: the TUI in a process group of its own, stopped and continued by it.
    const s = (screen = new PtyScreen('/bin/sh', ['-c', `set -m; '${process.execPath}' ${cli}; read line; fg`], {
      cols: 110, rows: 30, cwd: repo, env: { XDG_CONFIG_HOME: path.join(t.base, 'config') },
    }));
    await s.waitFor(name(0), 20_000);
    const children = fs.readFileSync(`/proc/${s.process.pid}/task/${s.process.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(children.length, 1);
    const tui = children[0];
    s.write('\x1a');
    const deadline = Date.now() + 10_000;
    while (processState(tui) !== 'T') {
      if (Date.now() > deadline) throw new Error(`not stopped: state ${processState(tui)}`);
      await delay(50);
    }
    await s.waitFor(() => !s.onAltScreen());
    assert.ok(s.raw.lastIndexOf('\x1b[?25h') > s.raw.lastIndexOf('\x1b[?25l'), 'the cursor is shown');
    s.write('\r'); // the shell's `read`, then `fg`
    await s.waitFor((text) => s.onAltScreen() && text.includes(name(0)) && text.includes('NAME↑'), 10_000);
    assert.notEqual(processState(tui), 'T');
    s.write('q');
    assert.equal(await s.exited, 0);
  });
});
