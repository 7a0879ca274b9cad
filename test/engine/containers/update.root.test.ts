// `update` on the real kernel: a running container's new limits in its live cgroups (as the host
// reads them and as the container sees them), the record and inspect keeping them for the next
// start, a restart policy given to a running container taking effect, and docker's refusals.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { main as update } from '../../../source/cli/update.js';
import { containerInspect } from '../../../source/engine/docker-shape/container-inspect.js';
import { until } from '../../support/until.js';
import { IMAGE, execCollect, makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { verbIo } from '../../cli/verb-io.js';

const MB = 1024 * 1024;

describe('update', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  afterEach(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
  });
  after(() => t.cleanup());

  const cgroupFile = async (ref: string, controller: string, file: string) => {
    const r = await t.engine.inspectContainer(ref);
    return fs.readFileSync(path.join(r.cgroupPaths[controller] ?? r.cgroupPaths.unified, file), 'utf8').trim();
  };

  it('sets the memory limit of a running container: its cgroup, inside the container, inspect, and the next start', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'mem', cmd: ['sleep', '300'], limits: { memoryBytes: 64 * MB } });
    const io = verbIo(t.engine);
    assert.equal(await update('update', ['-m', '96m', '--memory-swap', '128m', 'mem'], io.ctx), 0);
    assert.equal(io.stdout.text, 'mem\n');
    const r = await t.engine.inspectContainer('mem');
    const v1 = r.cgroupPaths.memory !== undefined;
    assert.equal(await cgroupFile('mem', 'memory', v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(96 * MB));
    if (v1) assert.equal(await cgroupFile('mem', 'memory', 'memory.memsw.limit_in_bytes'), String(128 * MB));
    const inside = await execCollect(t.engine, 'mem', ['cat', v1 ? '/sys/fs/cgroup/memory/memory.limit_in_bytes' : '/sys/fs/cgroup/memory.max']);
    assert.equal(inside.stdout.trim(), String(96 * MB));
    const shape = containerInspect(r, { root: t.root });
    assert.equal(shape.HostConfig.Memory, 96 * MB);
    assert.equal(shape.HostConfig.MemorySwap, 128 * MB);

    await t.engine.stopContainer('mem', 1);
    await t.engine.startContainer('mem');
    assert.equal(await cgroupFile('mem', 'memory', v1 ? 'memory.limit_in_bytes' : 'memory.max'), String(96 * MB));
  });

  it('sets a CPU quota and period, a pids limit and lifts it again', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'cpu', cmd: ['sleep', '300'] });
    assert.equal(await update('update', ['--cpu-period', '50000', '--cpu-quota', '25000', '--pids-limit', '20', 'cpu'], verbIo(t.engine).ctx), 0);
    const r = await t.engine.inspectContainer('cpu');
    if (r.cgroupPaths.cpu) {
      assert.equal(await cgroupFile('cpu', 'cpu', 'cpu.cfs_period_us'), '50000');
      assert.equal(await cgroupFile('cpu', 'cpu', 'cpu.cfs_quota_us'), '25000');
    } else assert.equal(await cgroupFile('cpu', 'unified', 'cpu.max'), '25000 50000');
    assert.equal(await cgroupFile('cpu', 'pids', 'pids.max'), '20');
    assert.equal(r.hostConfig.limits.cpuQuota, 25000);

    assert.equal(await update('update', ['--pids-limit', '-1', 'cpu'], verbIo(t.engine).ctx), 0);
    assert.equal(await cgroupFile('cpu', 'pids', 'pids.max'), 'max');

    const weight = verbIo(t.engine);
    assert.equal(await update('update', ['--blkio-weight', '300', 'cpu'], weight.ctx), 0);
    if (!fs.existsSync(path.join(r.cgroupPaths.blkio ?? r.cgroupPaths.unified, r.cgroupPaths.blkio ? 'blkio.weight' : 'io.weight'))) {
      assert.equal(weight.stdout.text, 'cpu\nYour kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.\n');
    } else assert.equal((await t.engine.inspectContainer('cpu')).hostConfig.limits.blkioWeight, 300);
    const range = verbIo(t.engine);
    assert.equal(await update('update', ['--blkio-weight', '5', 'cpu'], range.ctx), 1);
    assert.equal(range.stderr.text, 'strata: Range of blkio weight is from 10 to 1000\n');
    const small = verbIo(t.engine);
    assert.equal(await update('update', ['-m', '4m', 'cpu'], small.ctx), 1);
    assert.equal(small.stderr.text, 'strata: Minimum memory limit allowed is 6MB\n');
  });

  it('updates a stopped container: the record now, its cgroups at the next start', async () => {
    await t.engine.createContainer({ image: IMAGE, name: 'idle', cmd: ['sleep', '300'] });
    assert.equal(await update('update', ['--cpus', '0.5', '--restart', 'on-failure:3', 'idle'], verbIo(t.engine).ctx), 0);
    const r = await t.engine.inspectContainer('idle');
    assert.equal(r.hostConfig.limits.nanoCpus, 500_000_000);
    assert.deepEqual(r.hostConfig.restartPolicy, { name: 'on-failure', maximumRetryCount: 3 });
    await t.engine.startContainer('idle');
    if (r.cgroupPaths.cpu) assert.equal(await cgroupFile('idle', 'cpu', 'cpu.cfs_quota_us'), '50000');
  });

  it('gives a running container --restart always: its process exits and it comes back', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'comeback', cmd: ['sh', '-c', 'while [ ! -e /tmp/exit ]; do sleep 0.1; done; rm /tmp/exit'] });
    assert.equal(await update('update', ['--restart', 'always', 'comeback'], verbIo(t.engine).ctx), 0);
    const firstPid = (await t.engine.inspectContainer('comeback')).state.pid;
    await execCollect(t.engine, 'comeback', ['touch', '/tmp/exit']);
    const back = await until('the restart', 10_000, async () => {
      const r = await t.engine.inspectContainer('comeback');
      return r.restartCount >= 1 && r.state.status === 'running' && r.state.pid !== firstPid ? r : undefined;
    });
    assert.equal(back.restartCount, 1);
    assert.equal(back.hostConfig.restartPolicy?.name, 'always');
    // a policy taken back: the next exit is the last
    assert.equal(await update('update', ['--restart', 'no', 'comeback'], verbIo(t.engine).ctx), 0);
    await execCollect(t.engine, 'comeback', ['touch', '/tmp/exit']);
    const exited = await until('the exit', 10_000, async () => {
      const r = await t.engine.inspectContainer('comeback');
      return r.state.status === 'exited' ? r : undefined;
    });
    assert.equal(exited.restartCount, 1);
  });

  it("refuses as docker does: unknown container, no flags, memory over the swap limit, memory below what is in use", async () => {
    const unknown = verbIo(t.engine);
    assert.equal(await update('update', ['-m', '64m', 'nosuch'], unknown.ctx), 1);
    assert.equal(unknown.stderr.text, 'strata: No such container: nosuch\n');

    await assert.rejects(update('update', ['x'], verbIo(t.engine).ctx), (err: Error & { exitCode?: number }) => err.message === 'you must provide one or more flags when using this command' && err.exitCode === 1);
    await assert.rejects(update('update', ['--restart', 'sometimes', 'x'], verbIo(t.engine).ctx), (err: Error & { exitCode?: number }) => /invalid restart policy/.test(err.message) && err.exitCode === 1);
    await assert.rejects(update('update', ['-m', 'lots', 'x'], verbIo(t.engine).ctx), (err: Error & { exitCode?: number }) => err.exitCode === 125);

    const c = await t.engine.runContainer({ image: IMAGE, name: 'hog', cmd: ['sh', '-c', 'x=$(head -c 30000000 /dev/zero | tr "\\0" a); echo filled; sleep 300'], limits: { memoryBytes: 128 * MB, memorySwapBytes: 128 * MB } });
    const overSwap = verbIo(t.engine);
    assert.equal(await update('update', ['-m', '256m', 'hog'], overSwap.ctx), 1);
    assert.equal(overSwap.stderr.text, `strata: Cannot update container ${c.record.id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n`);

    const r = await t.engine.inspectContainer('hog');
    if (r.cgroupPaths.memory) {
      await until('the memory in use', 20_000, async () => (Number(await cgroupFile('hog', 'memory', 'memory.usage_in_bytes')) > 40 * MB ? true : undefined));
      const below = verbIo(t.engine);
      assert.equal(await update('update', ['-m', '8m', '--memory-swap', '8m', 'hog'], below.ctx), 1);
      assert.match(below.stderr.text, new RegExp(`^strata: Cannot update container ${c.record.id}: failed to write "8388608": write .*memory\\.limit_in_bytes: device or resource busy\\n$`));
      assert.equal((await t.engine.inspectContainer('hog')).hostConfig.limits.memoryBytes, 128 * MB, 'the record keeps the old limit');
    }
    const autoRemove = await t.engine.createContainer({ image: IMAGE, name: 'gone', cmd: ['true'], autoRemove: true });
    const rm = verbIo(t.engine);
    assert.equal(await update('update', ['--restart', 'always', 'gone'], rm.ctx), 1);
    assert.match(rm.stderr.text, new RegExp(`Cannot update container ${autoRemove.id}: Restart policy cannot be updated because AutoRemove is enabled for the container`));
  });
});
