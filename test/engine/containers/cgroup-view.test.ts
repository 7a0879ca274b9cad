// What a container sees of its cgroups at /sys/fs/cgroup and /proc/self/cgroup: its own groups, limits readable, read-only unless privileged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';

describe('cgroup view', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('debug', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'ls -la /sys/fs/cgroup; cat /proc/self/cgroup; grep cgroup /proc/self/mountinfo; cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us; cat /sys/fs/cgroup/pids/pids.max; cat /sys/fs/cgroup/cpuset/cpuset.cpus; ls /sys/fs/cgroup/systemd; ls /sys/fs/cgroup/memory; echo 1 > /sys/fs/cgroup/pids/pids.max; touch /sys/fs/cgroup/x'], { limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 50 } });
    console.log(r.exitCode, r.stdout, r.stderr);
  });
});
