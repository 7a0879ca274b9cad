import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGE, execCollect, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';

describe('run flags of docker parity', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('--ulimit: the limits the process sees (lowered below ours)', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'ulimit -n; ulimit -Hn; ulimit -c'], { ulimits: [{ name: 'nofile', soft: 512, hard: 1000 }, { name: 'core', soft: 0, hard: 0 }] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '512\n1000\n0\n');
    assert.deepEqual(r.record.hostConfig.ulimits, [{ name: 'nofile', soft: 512, hard: 1000 }, { name: 'core', soft: 0, hard: 0 }]);
  });

  it('--ulimit above what the host allows fails clearly', async () => {
    await assert.rejects(
      t.engine.runContainer({ image: IMAGE, cmd: ['true'], ulimits: [{ name: 'nofile', soft: 1 << 30, hard: 1 << 30 }] }),
      /setting ulimit nofile=1073741824:1073741824/,
    );
  });

  it('--ulimit and --group-add hold for exec too, as docker', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sleep', '30'], user: '1000:1000', groupAdd: ['4242'], ulimits: [{ name: 'nofile', soft: 300, hard: 400 }] });
    const inside = await execCollect(t.engine, record.id, ['sh', '-c', 'ulimit -n; ulimit -Hn; id -G']);
    assert.equal(inside.stdout, '300\n400\n1000 4242\n');
    await t.engine.removeContainer(record.id, true);
  });

  it('--shm-size: the size of /dev/shm (64m by default, as docker)', async () => {
    const sized = await runToEnd(t.engine, ['df', '-k', '/dev/shm'], { shmSizeBytes: 128 * 1024 * 1024 });
    assert.match(sized.stdout, /\s131072\s/);
    assert.equal(sized.record.hostConfig.shmSizeBytes, 128 * 1024 * 1024);
    const plain = await runToEnd(t.engine, ['df', '-k', '/dev/shm']);
    assert.match(plain.stdout, /\s65536\s/);
    assert.equal(plain.record.hostConfig.shmSizeBytes, 64 * 1024 * 1024);
  });

  it('--device: the host node inside, usable, and only that one', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'ls -l /dev/mydev && head -c 4 /dev/mydev | wc -c'], { devices: [{ pathOnHost: '/dev/zero', pathInContainer: '/dev/mydev', cgroupPermissions: 'rwm' }] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^c.* 1,\s+5 .*\/dev\/mydev\n4\n$/s);
    await assert.rejects(t.engine.createContainer({ image: IMAGE, devices: [{ pathOnHost: '/dev/nosuch', pathInContainer: '/dev/nosuch', cgroupPermissions: 'rwm' }] }), /error gathering device information while adding custom device "\/dev\/nosuch"/);
  });

  it('--sysctl: namespaced values written in the container, others refused', async () => {
    const r = await runToEnd(t.engine, ['cat', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/kernel/shmmni'], { sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shmmni': '1234' } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '1\n1234\n');
    await assert.rejects(t.engine.createContainer({ image: IMAGE, sysctls: { 'vm.swappiness': '1' } }), /sysctl "vm.swappiness" is not in a separate kernel namespace/);
  });

  it('--pid/--ipc/--uts host: the host namespaces', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'for n in pid ipc uts; do readlink /proc/self/ns/$n; done; hostname'], { pidMode: 'host', ipcMode: 'host', utsMode: 'host' });
    assert.equal(r.exitCode, 0, r.stderr);
    const host = ['pid', 'ipc', 'uts'].map((ns) => fs.readlinkSync(`/proc/self/ns/${ns}`));
    assert.equal(r.stdout, `${host.join('\n')}\n${os.hostname()}\n`);
  });

  it('--pid/--ipc/--uts container:NAME: the other container\'s namespaces', async () => {
    const { record: first } = await t.engine.runContainer({ image: IMAGE, name: 'ns-owner', hostname: 'owner', cmd: ['sleep', '30'] });
    const r = await runToEnd(t.engine, ['sh', '-c', 'for n in pid ipc uts; do readlink /proc/self/ns/$n; done; hostname; ps -o comm | grep -c sleep'], { pidMode: 'container:ns-owner', ipcMode: 'container:ns-owner', utsMode: 'container:ns-owner' });
    const ownerPid = (await t.engine.inspectContainer(first.id)).state.pid;
    const owner = ['pid', 'ipc', 'uts'].map((ns) => fs.readlinkSync(`/proc/${ownerPid}/ns/${ns}`));
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, `${owner.join('\n')}\nowner\n1\n`);
    await t.engine.removeContainer(first.id, true);
  });

  it('--group-add: the extra groups in id', async () => {
    const r = await runToEnd(t.engine, ['id'], { user: '1000:1000', groupAdd: ['nogroup', '4242'] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^uid=1000\(user\) gid=1000\(user\) groups=/);
    assert.match(r.stdout, /\b65534\(nogroup\)/);
    assert.match(r.stdout, /\b4242\b/);
  });

  it('--dns-search, --dns-option, --domainname', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'cat /etc/resolv.conf; hostname -d; cat /proc/sys/kernel/domainname'], { dnsSearch: ['example.com', 'corp.test'], dnsOptions: ['ndots:2', 'timeout:3'], domainname: 'example.org' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^search example\.com corp\.test$/m);
    assert.match(r.stdout, /^options ndots:2 timeout:3$/m);
    assert.match(r.stdout, /example\.org\n$/);
    assert.equal(r.record.config.domainname, 'example.org');
  });

  it('--oom-score-adj: the process\'s oom_score_adj', async () => {
    const r = await runToEnd(t.engine, ['cat', '/proc/self/oom_score_adj'], { oomScoreAdj: 321 });
    assert.equal(r.stdout, '321\n');
    await assert.rejects(t.engine.createContainer({ image: IMAGE, oomScoreAdj: 1001 }), /range for oom score adj is \[-1000, 1000\]/);
  });

  it('--memory-swap, --memory-reservation, --cpuset-cpus, --cpu-period/--cpu-quota: the cgroup files', async () => {
    const { record } = await t.engine.runContainer({
      image: IMAGE, cmd: ['sleep', '30'],
      limits: { memoryBytes: 64 << 20, memorySwapBytes: 128 << 20, memoryReservationBytes: 32 << 20, cpusetCpus: '0', cpuPeriod: 50_000, cpuQuota: 25_000 },
    });
    const p = record.cgroupPaths;
    const read = (dir: string | undefined, file: string) => (dir ? fs.readFileSync(`${dir}/${file}`, 'utf8').trim() : '');
    if (p.memory) {
      assert.equal(read(p.memory, 'memory.soft_limit_in_bytes'), String(32 << 20));
      assert.equal(read(p.memory, 'memory.memsw.limit_in_bytes'), String(128 << 20));
    } else {
      assert.equal(read(p.unified, 'memory.low'), String(32 << 20));
      assert.equal(read(p.unified, 'memory.swap.max'), String(64 << 20));
    }
    assert.equal(read(p.cpuset ?? p.unified, 'cpuset.cpus'), '0');
    if (p.cpu) {
      assert.equal(read(p.cpu, 'cpu.cfs_period_us'), '50000');
      assert.equal(read(p.cpu, 'cpu.cfs_quota_us'), '25000');
    } else assert.equal(read(p.unified, 'cpu.max'), '25000 50000');
    const inside = await execCollect(t.engine, record.id, ['cat', '/proc/self/status']);
    assert.match(inside.stdout, /Cpus_allowed_list:\s+0\n/);
    await t.engine.removeContainer(record.id, true);
    await assert.rejects(t.engine.createContainer({ image: IMAGE, limits: { memorySwapBytes: 1 << 30 } }), /You should always set the Memory limit when using Memoryswap limit/);
  });

  it('--volumes-from: the other container\'s volumes at the same places', async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/strata-vf-`);
    fs.writeFileSync(`${dir}/hello`, 'from the host\n');
    const { record: src } = await t.engine.runContainer({ image: IMAGE, name: 'vf-source', cmd: ['true'], mounts: [{ type: 'bind', source: dir, target: '/data' }] });
    await t.engine.waitContainer(src.id);
    const r = await runToEnd(t.engine, ['cat', '/data/hello'], { volumesFrom: ['vf-source:ro'] });
    assert.equal(r.stdout, 'from the host\n');
    assert.equal(r.record.mounts?.find((m) => m.destination === '/data')?.rw, false);
    assert.deepEqual(r.record.hostConfig.volumesFrom, ['vf-source:ro']);
    await t.engine.removeContainer(src.id, true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--cgroup-parent: the group under that parent', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sleep', '30'], cgroupParent: 'strata-test-parent' });
    const inside = await execCollect(t.engine, record.id, ['cat', '/proc/self/cgroup']);
    assert.match(inside.stdout, new RegExp(`strata-test-parent/${record.id}`));
    assert.equal(record.hostConfig.cgroupParent, 'strata-test-parent');
    await t.engine.removeContainer(record.id, true);
    // the parent stays, as docker leaves it; the test takes it away once the shim removed the group
    for (const dir of Object.values(record.cgroupPaths)) {
      for (let i = 0; i < 50 && fs.existsSync(dir); i++) await new Promise((r) => setTimeout(r, 20));
      fs.rmdirSync(path.dirname(dir));
    }
  });

  it('--network host: the host\'s hostname', async () => {
    const r = await runToEnd(t.engine, ['hostname'], { network: 'host' });
    assert.equal(r.stdout, `${os.hostname()}\n`);
  });

  it('--ip and --mac-address on a user-defined network', async () => {
    await t.engine.createNetwork('flags-net', { subnet: '10.231.7.0/24' });
    const { record } = await t.engine.runContainer({ image: IMAGE, network: 'flags-net', ipAddress: '10.231.7.77', macAddress: '02:42:0a:e7:07:4d', cmd: ['sleep', '30'] });
    const inside = await execCollect(t.engine, record.id, ['sh', '-c', 'cat /sys/class/net/eth0/address; grep -c 10.231.7.77 /etc/hosts']);
    assert.equal(inside.stdout, '02:42:0a:e7:07:4d\n1\n');
    const running = await t.engine.inspectContainer(record.id);
    assert.equal(running.networkSettings?.ipAddress, '10.231.7.77');
    assert.deepEqual(running.hostConfig.networks, [{ network: 'flags-net', ipv4Address: '10.231.7.77', macAddress: '02:42:0a:e7:07:4d' }], 'kept as asked (docker\'s IPAMConfig)');
    await assert.rejects(t.engine.runContainer({ image: IMAGE, network: 'flags-net', ipAddress: '10.231.7.77', cmd: ['true'] }), /Address already in use/);
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
    await t.engine.removeNetwork('flags-net');
    await assert.rejects(t.engine.createContainer({ image: IMAGE, ipAddress: '172.17.0.9' }), /user specified IP address is supported on user defined networks only/);
  });

  it('records annotations', async () => {
    const record = await t.engine.createContainer({ image: IMAGE, annotations: { 'org.example/a': 'b' } });
    assert.deepEqual(record.hostConfig.annotations, { 'org.example/a': 'b' });
    await t.engine.removeContainer(record.id, true);
  });
});
