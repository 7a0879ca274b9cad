// `strata run -it` and `strata exec -it` in a real pseudo-terminal, as a user types them: a shell
// that echoes, sees the terminal's size, follows a resize, and hands back its exit code.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { PtyScreen } from '../tui/pty-screen.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/strata.js');

// A terminal that answers the shell's queries (busybox ash asks for the cursor position)
function open(t: TestEngine, args: string[], cols = 100, rows = 30): PtyScreen {
  const screen = new PtyScreen(process.execPath, [cli, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { cols, rows });
  screen.term.onData((reply) => screen.write(reply));
  return screen;
}

describe('interactive sessions in a terminal', { timeout: 60_000 }, () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('run -it gives a shell with the terminal size, follows resizes and returns its exit code', async () => {
    const s = open(t, ['run', '-it', '--rm', IMAGE, 'sh']);
    await s.waitFor(/^\/ # ?$/m);
    s.write('stty size; tty; echo "pid $$"\r');
    await s.waitFor(/^30 100$/m);
    await s.waitFor(/^\/dev\/pts\/\d+$/m);
    await s.waitFor(/^pid 1$/m);
    s.resize(120, 40);
    await new Promise((r) => setTimeout(r, 200));
    s.write('stty size\r');
    await s.waitFor(/^40 120$/m);
    s.write('exit 3\r');
    assert.equal(await s.exited, 3);
    assert.equal((await t.engine.listContainers(true)).length, 0, '--rm removed it');
  });

  it('exec -it enters a running container with a terminal of its own', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'host-of-exec', cmd: ['sleep', '300'] });
    const s = open(t, ['exec', '-it', 'host-of-exec', 'sh']);
    await s.waitFor(/^\/ # ?$/m);
    s.write('ps -o pid,comm | grep sleep; tty\r');
    await s.waitFor(/^\s*1 sleep$/m);
    await s.waitFor(/^\/dev\/pts\/\d+$/m);
    s.write('exit 7\r');
    assert.equal(await s.exited, 7);
    await t.engine.removeContainer(record.id, true);
  });
});
