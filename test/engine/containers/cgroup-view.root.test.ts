// What a container sees of its cgroups (/sys/fs/cgroup, /proc/self/cgroup) as docker shows it: its own
// groups only, its limits readable, read-only unless privileged; --cgroupns host|private.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../source/engine/errors.js';
import { defaultCgroupns } from '../../../source/engine/runtime/cgroup-view.js';
import { cgroupPathsFor } from '../../../source/engine/runtime/cgroups.js';
import { IMAGE, execCollect, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { assertHostUnchanged, hostCanary, type HostCanary } from '../../support/host-canary.js';

const v2Only = Object.keys(cgroupPathsFor('probe')).every((k) => k === 'unified');
const LIMITS = { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 50 };

// One line per file: "FILE=CONTENT" of the files that hold the limits, v1 or v2.
const READ_LIMITS = v2Only
  ? 'for f in memory.max cpu.max pids.max; do echo "$f=$(cat /sys/fs/cgroup/$f)"; done'
  : 'for f in memory/memory.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us pids/pids.max; do echo "$f=$(cat /sys/fs/cgroup/$f)"; done';

function cgroupLines(stdout: string): Array<{ hierarchy: string; path: string }> {
  return [...stdout.matchAll(/^\d+:([^:]*):(\S*)$/gm)].map((m) => ({ hierarchy: m[1], path: m[2] }));
}

describe('cgroup view', () => {
  let t: TestEngine;
  let canary: HostCanary;
  before(async () => { canary = await hostCanary(); t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); await assertHostUnchanged(canary); });

  it('reads the limits of -m, --cpus and --pids-limit from /sys/fs/cgroup', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', READ_LIMITS], { limits: LIMITS });
    assert.equal(r.exitCode, 0, r.stderr);
    if (v2Only) {
      assert.match(r.stdout, /^memory\.max=67108864$/m);
      assert.match(r.stdout, /^cpu\.max=50000 100000$/m);
      assert.match(r.stdout, /^pids\.max=50$/m);
    } else {
      assert.match(r.stdout, /^memory\/memory\.limit_in_bytes=67108864$/m);
      assert.match(r.stdout, /^cpu\/cpu\.cfs_quota_us=50000$/m);
      assert.match(r.stdout, /^cpu\/cpu\.cfs_period_us=100000$/m);
      assert.match(r.stdout, /^pids\/pids\.max=50$/m);
    }
  });

  it("shows each controller and no other group's directory in any of them", async () => {
    // the container's own groups have no sub-groups: any directory below is someone else's
    const script = 'ls /sys/fs/cgroup; echo ---; find /sys/fs/cgroup/ -mindepth 1 -type d; find /sys/fs/cgroup/ -mindepth 2 -name "*strata*" -o -mindepth 2 -name libpod_parent';
    const r = await runToEnd(t.engine, ['sh', '-c', script], { limits: LIMITS });
    assert.equal(r.exitCode, 0, r.stderr);
    const [listing, dirs] = r.stdout.split('---\n');
    const entries = listing.split('\n').filter(Boolean);
    if (v2Only) {
      assert.ok(entries.includes('memory.max') && entries.includes('cgroup.procs'), listing);
      assert.equal(dirs.trim(), '');
    } else {
      for (const c of ['memory', 'cpu', 'cpuacct', 'pids', 'freezer', 'devices', 'blkio', 'cpuset']) {
        assert.ok(entries.includes(c) || entries.some((e) => e.split(',').includes(c)), `${c} in ${listing}`);
      }
      // only the hierarchies themselves (and, for a co-mounted one, its links, which find does not list as directories)
      for (const dir of dirs.split('\n').filter(Boolean)) assert.match(dir, /^\/sys\/fs\/cgroup\/[^/]+$/, dirs);
    }
    assert.doesNotMatch(r.stdout, /libpod_parent|buildah|\/strata/);
  });

  it('is read-only unless privileged, as docker mounts it', async () => {
    const file = v2Only ? '/sys/fs/cgroup/pids.max' : '/sys/fs/cgroup/pids/pids.max';
    const script = `echo 40 > ${file} && echo WROTE; cat ${file}; mkdir /sys/fs/cgroup/x && echo MKDIR; grep " /sys/fs/cgroup" /proc/self/mountinfo`;
    const plain = await runToEnd(t.engine, ['sh', '-c', script], { limits: LIMITS });
    assert.doesNotMatch(plain.stdout, /WROTE|MKDIR/);
    assert.match(plain.stdout, /^50$/m);
    assert.match(plain.stderr, /Read-only file system/);
    for (const line of plain.stdout.split('\n').filter((l) => l.includes('/sys/fs/cgroup'))) assert.match(line, / ro,/, line);

    const priv = await runToEnd(t.engine, ['sh', '-c', `echo 40 > ${file} && echo WROTE; cat ${file}`], { limits: LIMITS, privileged: true });
    assert.match(priv.stdout, /WROTE\n40\n/, priv.stderr);
  });

  it("defaults to docker's cgroup namespace mode and shows the container's own groups in /proc/self/cgroup", async () => {
    const r = await runToEnd(t.engine, ['cat', '/proc/self/cgroup'], { limits: LIMITS });
    const mode = defaultCgroupns(r.record.cgroupPaths);
    assert.equal(mode, v2Only ? 'private' : 'host');
    assert.equal(r.record.hostConfig.cgroupns, mode);
    const lines = cgroupLines(r.stdout);
    assert.ok(lines.length > 0, r.stdout);
    const ownHierarchies = lines.filter((l) => l.path !== '/');
    if (mode === 'private') assert.deepEqual(ownHierarchies, []);
    else {
      const memory = lines.find((l) => l.hierarchy.split(',').includes('memory'))!;
      assert.ok(memory.path.endsWith(`/strata/${r.record.id}`), memory.path);
    }
  });

  it('--cgroupns private shows "/" paths to the container and its execs, --cgroupns host the full ones', async () => {
    const { record: priv } = await t.engine.runContainer({ image: IMAGE, cgroupns: 'private', limits: LIMITS, cmd: ['sleep', '30'] });
    const { record: host } = await t.engine.runContainer({ image: IMAGE, cgroupns: 'host', limits: LIMITS, cmd: ['sleep', '30'] });
    try {
      assert.equal((await t.engine.inspectContainer(priv.id)).hostConfig.cgroupns, 'private');
      const inPriv = await execCollect(t.engine, priv.id, ['sh', '-c', `cat /proc/self/cgroup; ${READ_LIMITS}`]);
      const memoryOf = (stdout: string) => cgroupLines(stdout).find((l) => l.hierarchy === '' ? v2Only : l.hierarchy.split(',').includes('memory'))!;
      assert.equal(memoryOf(inPriv.stdout).path, '/');
      assert.match(inPriv.stdout, v2Only ? /^memory\.max=67108864$/m : /^memory\/memory\.limit_in_bytes=67108864$/m);

      const inHost = await execCollect(t.engine, host.id, ['sh', '-c', `cat /proc/self/cgroup; ${READ_LIMITS}`]);
      assert.ok(memoryOf(inHost.stdout).path.endsWith(`/strata/${host.id}`), inHost.stdout);
      assert.match(inHost.stdout, v2Only ? /^memory\.max=67108864$/m : /^memory\/memory\.limit_in_bytes=67108864$/m);
    } finally {
      await t.engine.removeContainer(priv.id, true);
      await t.engine.removeContainer(host.id, true);
    }
  });

  it('refuses an unknown --cgroupns mode', async () => {
    await assert.rejects(
      t.engine.createContainer({ image: IMAGE, cgroupns: 'shared' as 'host', cmd: ['true'] }),
      (err: unknown) => err instanceof EngineError && /invalid cgroup namespace mode: shared/.test(err.message),
    );
  });
});
