// A store whose disk a container filled: reading (ps, inspect, logs, system df, images) never
// needs a write, the container's exit status survives, and removal (rm -f, rmi of a tag and of
// an image, volume rm) works and frees the space. The store is a 64 MiB tmpfs filled to ENOSPC.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { mountsUnder } from '../support/test-engine.js';

const skip = cliSkip();

const store = new CliStore('strata-full-disk-');
const { strata } = store;

function freeBytes(): number {
  const st = fs.statfsSync(store.root);
  return st.bavail * st.bsize;
}

describe('a full store disk', { skip, timeout: 600_000 }, () => {
  before(async () => {
    store.open();
    // the runtime dir stays on another filesystem, as /run
    fs.mkdirSync(store.root);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'strata-full-disk', store.root]);
    await store.importBusybox('full/busybox:latest');
    await store.importBusybox('full/other:1', ['ENV OTHER=1']);
    assert.equal(strata(['tag', 'full/busybox', 'full/alias:1']).status, 0);
    assert.equal(strata(['volume', 'create', 'keep']).status, 0);
    // a stopped container to read, then the one that fills the disk and exits 3
    assert.equal(strata(['run', '--name', 'quiet', '--network', 'none', 'full/busybox', 'echo', 'quiet line']).status, 0);
    const filled = strata(['run', '--name', 'filler', '--network', 'none', 'full/busybox', 'sh', '-c', 'echo filling; dd if=/dev/zero of=/fill bs=1M 2>/dev/null; exit 3']);
    assert.equal(filled.status, 3, explain(filled));
    assert.ok(freeBytes() < 64 * 1024, `the disk is not full: ${freeBytes()} bytes free`);
  });

  after(async () => {
    if (!store.workDir) return;
    strata(['rm', '-f', 'quiet', 'filler']);
    for (const m of mountsUnder(store.root).reverse()) execFileSync('umount', ['-l', m]);
    await store.close();
  });

  it('ps, inspect, logs, images and system df answer without writing, with the true exit status', () => {
    const ps = strata(['ps', '-a', '--format', '{{.Names}} {{.Status}}']);
    assert.equal(ps.status, 0, explain(ps));
    assert.match(ps.stdout, /^filler Exited \(3\) /m);
    assert.match(ps.stdout, /^quiet Exited \(0\) /m);
    const inspect = strata(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'filler', 'quiet']);
    assert.equal(inspect.stdout, 'exited 3\nexited 0\n', explain(inspect));
    const logs = strata(['logs', 'quiet']);
    assert.equal(logs.stdout, 'quiet line\n', explain(logs));
    const fillerLogs = strata(['logs', 'filler']);
    assert.equal(fillerLogs.status, 0, explain(fillerLogs));
    const df = strata(['system', 'df']);
    assert.equal(df.status, 0, explain(df));
    assert.match(df.stdout, /^Containers\s+2\s+0\s+/m);
    const images = strata(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    assert.equal(images.status, 0, explain(images));
    assert.equal(images.stdout.split('\n').filter(Boolean).sort().join(' '), 'full/alias:1 full/busybox:latest full/other:1');
  });

  it('a create that the full disk refuses leaves nothing: no staged directory, no anonymous volume', () => {
    const volumesBefore = strata(['volume', 'ls', '-q']).stdout;
    const created = strata(['create', '--network', 'none', '-v', '/data', 'full/busybox', 'true']);
    assert.equal(created.status, 125, explain(created));
    assert.match(created.stderr, /ENOSPC|no space left/i);
    assert.deepEqual(fs.readdirSync(path.join(store.root, 'containers')).filter((n) => n.includes('.creating')), []);
    assert.equal(strata(['volume', 'ls', '-q']).stdout, volumesBefore);
  });

  it('rmi of a tag and of an image, volume rm and rm -f work, and free the disk', () => {
    const untag = strata(['rmi', 'full/alias:1']);
    assert.equal(untag.status, 0, explain(untag));
    assert.equal(untag.stdout, 'Untagged: full/alias:1\n');
    const rmi = strata(['rmi', 'full/other:1']);
    assert.equal(rmi.status, 0, explain(rmi));
    assert.match(rmi.stdout, /^Deleted: sha256:/m);
    const vol = strata(['volume', 'rm', 'keep']);
    assert.equal(vol.status, 0, explain(vol));
    const rm = strata(['rm', '-f', 'filler']);
    assert.equal(rm.status, 0, explain(rm));
    assert.ok(freeBytes() > 32 * 1024 * 1024, `only ${freeBytes()} bytes free after rm`);
    const ps = strata(['ps', '-a', '--format', '{{.Names}}']);
    assert.equal(ps.stdout, 'quiet\n', explain(ps));
    const check = strata(['system', 'check']);
    assert.equal(check.status, 0, explain(check));
  });
});
