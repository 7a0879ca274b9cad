// The shim entries for /sys/fs/cgroup on each host layout, and docker's default cgroup namespace mode.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupViewEntries, defaultCgroupns } from '../../../source/engine/runtime/cgroup-view.js';
import type { CgroupHierarchy } from '../../../source/engine/runtime/cgroup-layout.js';

const v1 = (name: string, ...options: string[]): CgroupHierarchy => ({ name, version: 'v1', options: ['rw', ...options] });
const HYBRID = [v1('cpu,cpuacct', 'cpu', 'cpuacct'), v1('memory', 'memory'), v1('systemd', 'name=systemd'), v1('net_cls', 'net_cls'), { name: 'unified', version: 'v2', options: ['rw'] } satisfies CgroupHierarchy];

describe('cgroupViewEntries', () => {
  it('binds the group of each v1 hierarchy the container has one in, once, named as the host names it', () => {
    const paths = { cpu: '/cg/cpu,cpuacct/strata/c', cpuacct: '/cg/cpu,cpuacct/strata/c', memory: '/cg/memory/strata/c', 'name=systemd': '/cg/systemd/strata/c' };
    assert.deepEqual(cgroupViewEntries(paths, false, HYBRID), [
      ['cgroup_view', 'tmpfs'],
      ['cgroup_rw', '0'],
      ['cgroup_bind', '/cg/cpu,cpuacct/strata/c\tcpu,cpuacct'],
      ['cgroup_bind', '/cg/memory/strata/c\tmemory'],
      ['cgroup_bind', '/cg/systemd/strata/c\tsystemd'],
    ]);
  });

  it('adds the unified group beside v1 ones on a hybrid host and is writable when privileged', () => {
    const entries = cgroupViewEntries({ memory: '/cg/memory/strata/c', unified: '/cg/unified/strata/c' }, true, HYBRID);
    assert.deepEqual(entries.filter(([k]) => k !== 'cgroup_bind'), [['cgroup_view', 'tmpfs'], ['cgroup_rw', '1']]);
    assert.deepEqual(entries.filter(([k]) => k === 'cgroup_bind').map(([, v]) => v), ['/cg/memory/strata/c\tmemory', '/cg/unified/strata/c\tunified']);
  });

  it('mounts cgroup2 on a pure v2 host and shows nothing without groups', () => {
    const v2 = [{ name: 'cgroup', version: 'v2', options: ['rw', 'nsdelegate'] } satisfies CgroupHierarchy];
    assert.deepEqual(cgroupViewEntries({ unified: '/sys/fs/cgroup/strata/c' }, false, v2), [['cgroup_view', 'cgroup2'], ['cgroup_rw', '0']]);
    assert.deepEqual(cgroupViewEntries({}, false, v2), []);
  });

  it("defaults the cgroup namespace as docker: private on pure v2, the host's otherwise", () => {
    assert.equal(defaultCgroupns({ unified: '/sys/fs/cgroup/strata/c' }), 'private');
    assert.equal(defaultCgroupns({ memory: '/m', unified: '/u' }), 'host');
  });
});
