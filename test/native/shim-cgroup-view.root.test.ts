// `strata-shim run`'s /sys/fs/cgroup (cgroup_view, cgroup_bind, cgroup_rw) on this kernel (needs root, cgroup v1 pids).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { cleanupAll, cleanupFixture, makeCgroup, makeFixture, runToExit, spec, stdoutOf, type Fixture } from './helpers.js';

let fx: Fixture;
afterEach(async () => {
  if (fx) await cleanupFixture(fx);
});
after(cleanupAll);

const sh = (script: string) => ['/bin/sh', '-c', script];
const v1Pids = fs.existsSync('/sys/fs/cgroup/pids/tasks');

describe('strata-shim run: cgroup view', { skip: v1Pids ? false : 'no cgroup v1 pids hierarchy' }, () => {
  it('binds each group at /sys/fs/cgroup/NAME on a tmpfs, links the parts of a co-mounted name, read-only', async () => {
    fx = makeFixture();
    const pids = makeCgroup(fx, 'pids');
    fs.writeFileSync(path.join(pids, 'pids.max'), '33');
    const script = 'for e in /sys/fs/cgroup/*; do [ -L $e ] && echo "$e -> $(readlink $e)"; done; cat /sys/fs/cgroup/extra/pids.max; ' +
      'echo 5 > /sys/fs/cgroup/pids/pids.max || echo RO-BIND; touch /sys/fs/cgroup/f || echo RO-TMPFS';
    const { statuses, log } = await runToExit(fx, spec(fx, sh(script), [
      ['cgroup_join', path.join(pids, 'tasks')],
      ['cgroup_dir', pids],
      ['cgroup_view', 'tmpfs'],
      ['cgroup_bind', `${pids}\tpids,extra`],
      ['cgroup_rw', '0'],
    ]));
    assert.deepEqual(statuses.at(-1), { kind: 'exit', code: 0 });
    const out = stdoutOf(log);
    assert.match(out, /^\/sys\/fs\/cgroup\/extra -> pids,extra$/m);
    assert.match(out, /^\/sys\/fs\/cgroup\/pids -> pids,extra$/m);
    assert.match(out, /^33$/m);
    assert.match(out, /^RO-BIND$/m);
    assert.match(out, /^RO-TMPFS$/m);
  });

  it('leaves it writable with cgroup_rw 1 and refuses a NAME with a slash', async () => {
    fx = makeFixture();
    const pids = makeCgroup(fx, 'pids');
    const base = [['cgroup_join', path.join(pids, 'tasks')], ['cgroup_dir', pids], ['cgroup_view', 'tmpfs']] as [string, string][];
    const rw = await runToExit(fx, spec(fx, sh('echo 7 > /sys/fs/cgroup/pids/pids.max && cat /sys/fs/cgroup/pids/pids.max'), [
      ...base, ['cgroup_bind', `${pids}\tpids`], ['cgroup_rw', '1'],
    ]));
    assert.equal(stdoutOf(rw.log), '7\n');
    await cleanupFixture(fx);

    fx = makeFixture();
    const again = makeCgroup(fx, 'pids');
    const bad = await runToExit(fx, spec(fx, sh('true'), [['cgroup_join', path.join(again, 'tasks')], ['cgroup_dir', again], ['cgroup_view', 'tmpfs'], ['cgroup_bind', `${again}\t../pids`]]));
    assert.equal(bad.statuses.at(-1)!.kind, 'error');
    assert.match(JSON.stringify(bad.statuses.at(-1)), /cgroup bind entry/);
  });
});
