// `strata start` and `strata rm -f` of one container at once, from two processes, many times:
// whichever wins, no ghost is left — no containers/<id>/ without a record (the start's init
// layer once recreated the directory the remove had just renamed away) — and `system check`
// finds nothing once the container is gone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { mountsUnder } from '../support/test-engine.js';

const skip = cliSkip();
const IMAGE = 'strata-race/busybox:latest';
const TRIALS = 12;

const store = new CliStore('strata-race-');
const { strata } = store;

function strataAsync(...rest: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = store.spawn(rest, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('exit', (status) => resolve({ status, stderr }));
  });
}

const ghosts = () => fs.readdirSync(path.join(store.root, 'containers'))
  .filter((n) => /^[0-9a-f]{64}$/.test(n) && !fs.existsSync(path.join(store.root, 'containers', n, 'container.json')));

describe('parallel start and rm -f of one container', { skip, timeout: 600_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
  });

  after(() => store.close());

  it(`${TRIALS} races leave no ghost directory and a clean store`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const created = strata(['create', '--name', 'race', '--network', 'none', IMAGE, 'sleep', '30']);
      assert.equal(created.status, 0, explain(created));
      // the remove a little later in odd trials, so that it meets the start at different steps
      const [start, rm] = await Promise.all([
        strataAsync('start', 'race'),
        new Promise<{ status: number | null; stderr: string }>((resolve) => setTimeout(() => resolve(strataAsync('rm', '-f', 'race')), trial % 2 ? 40 : 0)),
      ]);
      assert.equal(rm.status, 0, `trial ${trial}: rm -f failed: ${rm.stderr}`);
      if (start.status !== 0) assert.match(start.stderr, /No such container|is being removed|not found|removal/i, `trial ${trial}`);
      assert.deepEqual(ghosts(), [], `trial ${trial}: a container directory without a record`);
      const left = strata(['rm', '-f', 'race']); // a start that won after the remove
      assert.ok(left.status === 0 || /No such container/.test(left.stderr), explain(left));
      assert.deepEqual(ghosts(), [], `trial ${trial}`);
    }
    const ps = strata(['ps', '-a', '-q']);
    assert.equal(ps.stdout, '', explain(ps));
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
    assert.deepEqual(mountsUnder(store.root), []);
  });
});
