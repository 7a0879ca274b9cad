import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { assertHostUnchanged, hostCanary, type HostCanary } from '../../support/host-canary.js';

// docker's default capability set as a bounding-set mask
const DOCKER_DEFAULT_CAPBND = '00000000a80425fb';

function field(status: string, name: string): string {
  return new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '';
}

describe('inside a container', () => {
  let t: TestEngine;
  let canary: HostCanary;
  before(async () => { canary = await hostCanary(); t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); await assertHostUnchanged(canary); });

  it('has its own hostname and sees only its own processes', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'hostname; ps -o pid,comm'], { hostname: 'isolated' });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'isolated');
    const pids = lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[0]));
    assert.equal(pids[0], 1, 'the command is PID 1');
    assert.ok(pids.every((p) => p < 10), `only the container's processes: ${lines.join(' | ')}`);
  });

  it('cannot mount, reads masked /proc files as empty and has read-only /proc/sys', async () => {
    // this kernel has no /proc/kcore; where it exists it is masked like the others
    const script = 'mkdir -p /mnt; mount -t tmpfs x /mnt && echo MOUNTED; for f in /proc/kcore /proc/keys /proc/timer_list; do [ -e $f ] && echo "$f $(wc -c < $f)"; done; ls /proc/acpi | wc -l; echo 1 > /proc/sys/kernel/ns_last_pid && echo WROTE; true';
    const r = await runToEnd(t.engine, ['sh', '-c', script]);
    assert.ok(!r.stdout.includes('MOUNTED'), r.stdout);
    assert.ok(!r.stdout.includes('WROTE'), r.stdout);
    assert.match(r.stdout, /^\/proc\/keys 0$/m, '/proc/keys is masked');
    assert.match(r.stdout, /^\/proc\/timer_list 0$/m, '/proc/timer_list is masked');
    assert.doesNotMatch(r.stdout, /^\/proc\/kcore [1-9]/m, '/proc/kcore is masked');
    assert.match(r.stdout, /^0$/m, '/proc/acpi is an empty directory');
  });

  // the trailing `true` keeps sh from exec-ing ls, so $$ is the shell started by the shim
  it("gets docker's default capabilities, no NoNewPrivs and only fds 0-2", async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'cat /proc/self/status; echo FDS; ls /proc/$$/fd; true']);
    assert.equal(field(r.stdout, 'CapBnd'), DOCKER_DEFAULT_CAPBND);
    assert.equal(field(r.stdout, 'CapEff'), DOCKER_DEFAULT_CAPBND);
    assert.equal(field(r.stdout, 'CapInh'), '0000000000000000');
    assert.equal(field(r.stdout, 'NoNewPrivs'), '0', "docker's default: off unless --security-opt no-new-privileges");
    const fds = r.stdout.split('FDS\n')[1].trim().split(/\s+/).map(Number).sort();
    assert.deepEqual(fds, [0, 1, 2], `open fds at exec: ${fds}`);
  });

  it('gives a non-root user no effective capabilities', async () => {
    const r = await runToEnd(t.engine, ['cat', '/proc/self/status'], { user: '1000' });
    assert.equal(field(r.stdout, 'CapEff'), '0000000000000000');
    assert.equal(field(r.stdout, 'CapBnd'), DOCKER_DEFAULT_CAPBND);
  });

  it('honours --cap-drop, --cap-add and --privileged', async () => {
    const dropped = await runToEnd(t.engine, ['cat', '/proc/self/status'], { capDrop: ['CHOWN'] });
    assert.equal(field(dropped.stdout, 'CapBnd'), (0xa80425fbn & ~1n).toString(16).padStart(16, '0'));
    const added = await runToEnd(t.engine, ['cat', '/proc/self/status'], { capAdd: ['SYS_ADMIN'] });
    assert.equal(field(added.stdout, 'CapBnd'), (0xa80425fbn | (1n << 21n)).toString(16).padStart(16, '0'));
    const priv = await runToEnd(t.engine, ['sh', '-c', 'cat /proc/self/status; mkdir -p /mnt; mount -t tmpfs x /mnt && echo MOUNTED'], { privileged: true });
    assert.match(priv.stdout, /MOUNTED/);
    assert.equal(field(priv.stdout, 'NoNewPrivs'), '0');
    // everything the host itself holds, no more
    const host = /^CapBnd:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    assert.equal(field(priv.stdout, 'CapBnd'), host);
  });

  it("runs under docker's seccomp rules: no new namespaces, caps re-allow, none when privileged", async () => {
    const script = 'grep Seccomp: /proc/self/status; unshare -U true && echo USERNS; unshare -m true && echo MOUNTNS; echo done';
    const r = await runToEnd(t.engine, ['sh', '-c', script]);
    assert.equal(field(r.stdout, 'Seccomp'), '2', 'a filter is installed');
    assert.ok(!r.stdout.includes('USERNS'), 'a user namespace (no capability needed) is refused');
    assert.ok(!r.stdout.includes('MOUNTNS'));
    assert.match(r.stdout, /^done$/m, 'ordinary calls still work');
    const admin = await runToEnd(t.engine, ['sh', '-c', 'mkdir -p /mnt; mount -t tmpfs x /mnt && echo MOUNTED'], { capAdd: ['SYS_ADMIN'] });
    assert.match(admin.stdout, /MOUNTED/, 'CAP_SYS_ADMIN re-allows mount, as in docker');
    const priv = await runToEnd(t.engine, ['grep', 'Seccomp:', '/proc/self/status'], { privileged: true });
    assert.equal(field(priv.stdout, 'Seccomp'), '0');
  });

  it('has /dev, /dev/pts, /dev/shm, /dev/mqueue and a read-only /sys', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'ls /dev; cat /proc/mounts; touch /sys/x && echo SYSWRITE; echo data > /dev/shm/f && cat /dev/shm/f']);
    for (const node of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'pts', 'shm', 'mqueue', 'ptmx']) assert.match(r.stdout, new RegExp(`^${node}$`, 'm'), node);
    assert.match(r.stdout, /^sysfs \/sys sysfs ro/m);
    assert.match(r.stdout, /^devpts \/dev\/pts devpts/m);
    assert.ok(!r.stdout.includes('SYSWRITE'));
    assert.match(r.stdout, /^data$/m);
  });

  it('starts with only lo in its own network namespace', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'cat /proc/net/dev; ip link 2>/dev/null || true'], { network: 'none' });
    const ifaces = r.stdout.split('\n').slice(2).map((l) => l.split(':')[0].trim()).filter(Boolean).filter((n) => !/^\d/.test(n));
    assert.ok(ifaces.includes('lo'));
    assert.ok(!ifaces.some((i) => i.startsWith('eth') || i.startsWith('ens')), ifaces.join(','));
  });
});
