// `strata create` SIGKILLed with its directory staged (or earlier: its anonymous volumes made, its
// record not yet written), and `strata rm -v` SIGKILLed just after it renamed the container's directory for removal (held there
// by the STRATA_TEST_PAUSE hook: the moment between a rename and the next step is too short to
// hit by timing): the next strata command removes the rest, the anonymous volumes rm -v was asked
// to remove included, and `system check` finds nothing. A plain `ps` is such a command. Without -v the volumes stay, as docker's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { until } from '../support/until.js';

const skip = cliSkip();
const IMAGE = 'strata-killed-rm/busybox:latest';

const store = new CliStore('strata-killed-rm-');
const { strata } = store;

const leftovers = () => fs.readdirSync(path.join(store.root, 'containers')).filter((n) => n.includes('.removing') || n.includes('.creating'));

// Runs `strata ARGS` until it reaches the pause point, then SIGKILLs it there.
async function killedAt(point: string, args: string[]): Promise<void> {
  const pauseFile = path.join(store.workDir, `paused-${Date.now()}`);
  const child = store.spawn(args, { stdio: 'ignore', env: { STRATA_TEST_PAUSE: point, STRATA_TEST_PAUSE_FILE: pauseFile } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await until(`${args[0]} reached ${point}`, 60_000, async () => (fs.existsSync(pauseFile) ? true : undefined));
  child.kill('SIGKILL');
  await exited;
  assert.equal(leftovers().length, 1, `the killed ${args[0]} left no staged or doomed directory: the pause point is not where the test thinks`);
}

const killedRemove = (args: string[]) => killedAt('container-remove-renamed', ['rm', ...args]);

describe('a killed rm', { skip, timeout: 300_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
  });

  after(() => store.close());

  it('rm -v: the next command removes the rest and the anonymous volumes', async () => {
    const run = strata(['run', '--name', 'withvol', '--network', 'none', '-v', '/data', '-v', 'named:/named', IMAGE, 'sh', '-c', 'echo x > /data/f']);
    assert.equal(run.status, 0, explain(run));
    const volumes = strata(['volume', 'ls', '-q']).stdout.trim().split('\n').sort();
    assert.equal(volumes.length, 2, volumes.join(' '));
    await killedRemove(['-v', 'withvol']);
    const ls = strata(['volume', 'ls', '-q']);
    assert.equal(ls.status, 0, explain(ls));
    assert.equal(ls.stdout, 'named\n', 'the anonymous volume of the killed rm -v is still there (or the named one went)');
    assert.deepEqual(leftovers(), []);
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
    assert.equal(strata(['volume', 'rm', 'named']).status, 0);
  });

  it('rm without -v: the next command removes the rest, the volumes stay', async () => {
    const run = strata(['run', '--name', 'keepvol', '--network', 'none', '-v', '/data', IMAGE, 'true']);
    assert.equal(run.status, 0, explain(run));
    const volumes = strata(['volume', 'ls', '-q']).stdout;
    await killedRemove(['keepvol']);
    assert.equal(strata(['ps', '-a', '-q']).stdout, ''); // never listed
    assert.deepEqual(leftovers(), [], 'a plain ps did not finish the killed rm');
    assert.equal(strata(['volume', 'ls', '-q']).stdout, volumes);
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
    strata(['volume', 'prune', '-f']);
  });

  it('create killed with its directory staged: the next command removes it and its new anonymous volume', async () => {
    const volumes = strata(['volume', 'ls', '-q']).stdout;
    const onDisk = () => fs.readdirSync(path.join(store.root, 'volumes')).filter((n) => !n.startsWith('.')).length;
    const before = onDisk();
    await killedAt('container-create-staged', ['create', '--name', 'half', '--network', 'none', '-v', '/data', IMAGE, 'true']);
    assert.equal(onDisk(), before + 1, 'the killed create made no anonymous volume: it proves nothing');
    assert.equal(strata(['volume', 'ls', '-q']).stdout, volumes);
    assert.equal(onDisk(), before);
    assert.deepEqual(leftovers(), []);
    assert.equal(strata(['ps', '-a', '-q']).stdout, '');
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
  });

  it('create killed with its anonymous volumes made, before its record: ps alone removes them', async () => {
    const onDisk = () => fs.readdirSync(path.join(store.root, 'volumes')).filter((n) => !n.startsWith('.')).length;
    const before = onDisk();
    await killedAt('container-create-volumes', ['create', '--name', 'early', '--network', 'none', '-v', '/data', '-v', '/more', IMAGE, 'true']);
    assert.equal(onDisk(), before + 2, 'the killed create made no anonymous volumes: it proves nothing');
    assert.equal(strata(['ps', '-a', '-q']).stdout, '');
    assert.equal(onDisk(), before, 'the killed create\'s anonymous volumes are left');
    assert.deepEqual(leftovers(), []);
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
  });
});
