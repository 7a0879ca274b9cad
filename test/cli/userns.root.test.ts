// --userns=auto as a user checks it, with the built CLI on the real kernel: root inside is a
// subordinate range outside, image files still belong to root inside (idmapped layers, no
// chown), what the container's root writes into a host directory is the range's and never the
// host root's (a setuid binary, a block device), ranges are disjoint and freed with the
// container, named volumes are shared between ranges. Needs root and dist/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';

const skip = cliSkip();
const IMAGE = 'strata-userns/busybox:latest';
const store = new CliStore('strata-userns-');

function strata(args: string[], env: NodeJS.ProcessEnv = {}) {
  return store.strata(args, { env, timeout: 60_000 });
}

function ok(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return store.ok(args, { env, timeout: 60_000 });
}

interface Mapping { uid: number; gid: number; size: number }

function mappingOf(name: string): Mapping {
  const m = JSON.parse(ok(['inspect', '-f', '{{json .StrataIdMappings}}', name])) as { UidMap: Array<{ HostID: number; Size: number }>; GidMap: Array<{ HostID: number }> };
  return { uid: m.UidMap[0].HostID, gid: m.GidMap[0].HostID, size: m.UidMap[0].Size };
}

function subordinateLine(file: string): string | undefined {
  return fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('strata:'));
}

describe('--userns=auto', { skip, timeout: 600_000 }, () => {
  let shared = '';
  before(async () => {
    store.open();
    fs.chmodSync(store.workDir, 0o711); // host nobody must reach the shared directory, as a user's would be
    shared = path.join(store.workDir, 'shared');
    fs.mkdirSync(shared, { mode: 0o777 });
    fs.chmodSync(shared, 0o777);
    await store.importBusybox(IMAGE);
  });

  after(async () => {
    if (!store.workDir) return;
    const names = strata(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (names.length) strata(['rm', '-f', '-v', ...names]);
    strata(['volume', 'rm', '-f', 'userns-vol']);
    const workDir = store.workDir;
    await store.close();
    // every range this store claimed on the host went with its container
    const claims = fs.readdirSync('/var/lib/strata-userns').filter((f) => /^\d+$/.test(f))
      .filter((f) => fs.readFileSync(path.join('/var/lib/strata-userns', f), 'utf8').includes(workDir));
    assert.deepEqual(claims, [], 'host-wide range claims left behind');
  });

  it('root inside is the container\'s range outside, and the image\'s files are root\'s inside', () => {
    ok(['run', '-d', '--name', 'ids', '--userns=auto', IMAGE, 'sleep', '300']);
    const m = mappingOf('ids');
    assert.equal(m.size, 65536);
    assert.match(subordinateLine('/etc/subuid') ?? '', /^strata:\d+:\d+$/, 'no strata line in /etc/subuid');
    assert.match(subordinateLine('/etc/subgid') ?? '', /^strata:\d+:\d+$/, 'no strata line in /etc/subgid');
    const out = ok(['exec', 'ids', 'sh', '-c', 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; stat -c "%u:%g" /bin/busybox /etc/passwd']).split('\n');
    assert.equal(out[0], '0');
    assert.equal(out[1], '0');
    assert.deepEqual(out[2].trim().split(/\s+/).map(Number), [0, m.uid, 65536]);
    assert.deepEqual(out[3].trim().split(/\s+/).map(Number), [0, m.gid, 65536]);
    assert.deepEqual(out.slice(4, 6), ['0:0', '0:0']);
    // the kernel's view from the host: the container's process runs as the range's first id
    const pid = Number(ok(['inspect', '-f', '{{.State.Pid}}', 'ids']).trim());
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    assert.match(status, new RegExp(`^Uid:\\s+${m.uid}\\s+${m.uid}\\s+${m.uid}\\s+${m.uid}$`, 'm'));
    assert.equal(ok(['inspect', '-f', '{{.HostConfig.UsernsMode}}', 'ids']).trim(), 'auto');
    // what the container's root writes in its own root is kept with the host's ids, as without
    // a user namespace (commit, diff and cp see an ordinary upper dir)
    ok(['exec', 'ids', 'sh', '-c', 'echo hi > /made-inside']);
    const id = ok(['inspect', '-f', '{{.Id}}', 'ids']).trim();
    const made = fs.statSync(path.join(store.root, 'containers', id, 'upper', 'made-inside'));
    assert.equal(made.uid, 0);
    // cp out of the running container gives the host's ids, never the range's; cp in waits for a stop
    const copied = path.join(store.workDir, 'copied-out');
    ok(['cp', 'ids:/made-inside', copied]);
    assert.equal(fs.statSync(copied).uid, 0);
    const into = strata(['cp', copied, 'ids:/']);
    assert.equal(into.status, 1, explain(into));
    assert.match(into.stderr, /cannot copy into running container ids: it runs in a user namespace/);
    ok(['rm', '-f', 'ids']);
  });

  it('mounts of its own: sysfs shows its network namespace, devices are the host\'s nodes, tty and --init work', () => {
    assert.equal(ok(['run', '--rm', '--userns=auto', IMAGE, 'ls', '/sys/class/net']), 'eth0\nlo\n');
    const devs = ok(['run', '--rm', '-t', '--init', '--userns=auto', IMAGE, 'sh', '-c', 'stat -c "%t:%T" /dev/null /dev/zero; tty; echo hi > /dev/null && echo ok; ps -o comm | sed -n 2p']);
    assert.equal(devs.replaceAll('\r', ''), '1:3\n1:5\n/dev/pts/0\nok\ninit\n');
  });

  // The attack: container root plants a setuid-root program and a block device in a host
  // directory it was given; host nobody then runs the program.
  const plant = ['sh', '-c', 'cat /hostid > /shared/suid-id && chmod 4755 /shared/suid-id; mknod /shared/blk b 7 0; ls -ln /shared'];
  const bindArgs = () => ['-v', `${shared}:/shared`, '-v', '/usr/bin/id:/hostid:ro'];
  const asNobody = (file: string) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', file, '-u'], { encoding: 'utf8' });
  const clearShared = () => { for (const f of fs.readdirSync(shared)) fs.rmSync(path.join(shared, f), { force: true }); };

  it('without a user namespace the attack works (the check below can fail)', () => {
    clearShared();
    strata(['run', '--rm', ...bindArgs(), IMAGE, ...plant]);
    const suid = path.join(shared, 'suid-id');
    assert.equal(fs.statSync(suid).uid, 0);
    assert.equal(asNobody(suid).stdout.trim(), '0', 'host nobody did not become root: the control is broken');
    assert.ok(fs.statSync(path.join(shared, 'blk')).isBlockDevice());
    clearShared();
  });

  it('in a user namespace the setuid program is the range\'s and no device is made', () => {
    clearShared();
    ok(['create', '--name', 'attacker', '--userns=auto', ...bindArgs(), IMAGE, ...plant]);
    const m = mappingOf('attacker');
    const r = strata(['start', '-a', 'attacker']);
    const suid = path.join(shared, 'suid-id');
    assert.ok(!fs.existsSync(path.join(shared, 'blk')), `a device node was made:\n${explain(r)}`);
    assert.match(r.stdout + r.stderr, /mknod.*(Operation not permitted|Permission denied)/);
    // the directory is writable by all, so the file is made: as the range's root, not the host's
    assert.ok(fs.existsSync(suid), explain(r));
    assert.equal(fs.statSync(suid).uid, m.uid, 'the planted file is not the range\'s root\'s');
    const ran = asNobody(suid);
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ran.stdout.trim(), String(m.uid), 'host nobody ran it with another euid than the range\'s');
    ok(['rm', 'attacker']);
    clearShared();
  });

  it('two containers get disjoint ranges, and removing one frees its range', () => {
    ok(['create', '--name', 'r1', '--userns=auto', IMAGE, 'true']);
    ok(['create', '--name', 'r2', '--userns=auto', IMAGE, 'true']);
    const a = mappingOf('r1');
    const b = mappingOf('r2');
    assert.ok(a.uid + a.size <= b.uid || b.uid + b.size <= a.uid, `uid ranges overlap: ${JSON.stringify([a, b])}`);
    assert.ok(a.gid + a.size <= b.gid || b.gid + b.size <= a.gid, `gid ranges overlap: ${JSON.stringify([a, b])}`);
    ok(['rm', 'r1']);
    ok(['create', '--name', 'r3', '--userns=auto', IMAGE, 'true']);
    assert.deepEqual(mappingOf('r3'), a, 'the range of the removed container was not given again');
    ok(['rm', 'r2', 'r3']);
  });

  it('a named volume is shared by containers of different ranges, root\'s in each', () => {
    ok(['run', '--rm', '--userns=auto', '-v', 'userns-vol:/data', IMAGE, 'sh', '-c', 'echo one > /data/f && mkdir /data/d']);
    const out = ok(['run', '--rm', '--userns=auto', '-v', 'userns-vol:/data', IMAGE, 'sh', '-c', 'stat -c "%u:%g" /data/f /data/d && echo two >> /data/f && cat /data/f']);
    assert.equal(out, '0:0\n0:0\none\ntwo\n');
    const mountpoint = ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'userns-vol']).trim();
    assert.equal(fs.statSync(path.join(mountpoint, 'f')).uid, 0, 'the volume\'s files are not stored as root\'s');
  });

  it('a host directory is idmapped only when asked (-v …:idmap): then its files are root\'s inside and stay the host\'s', () => {
    const dir = path.join(store.workDir, 'owned');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'f'), 'host\n');
    const plain = ok(['run', '--rm', '--userns=auto', '-v', `${dir}:/d`, IMAGE, 'sh', '-c', 'stat -c %u /d/f; touch /d/no 2>/dev/null || echo refused']);
    assert.equal(plain, '65534\nrefused\n'); // the host's root is nobody to the container
    const mapped = ok(['run', '--rm', '--userns=auto', '-v', `${dir}:/d:idmap`, IMAGE, 'sh', '-c', 'stat -c %u /d/f; echo more >> /d/f; touch /d/new']);
    assert.equal(mapped, '0\n');
    assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'host\nmore\n');
    assert.equal(fs.statSync(path.join(dir, 'new')).uid, 0);
    const bad = strata(['run', '--rm', '-v', 'somevol:/x:idmap', IMAGE, 'true']);
    assert.equal(bad.status, 125, explain(bad));
    assert.match(bad.stderr, /idmap is for a host directory/);
  });

  it('the config file\'s `userns` is the default, and --userns=host overrides it', () => {
    fs.mkdirSync(path.join(store.configHome, 'strata-nodejs'), { recursive: true });
    fs.writeFileSync(path.join(store.configHome, 'strata-nodejs', 'config.json'), JSON.stringify({ userns: 'auto' }));
    try {
      assert.match(ok(['run', '--rm', IMAGE, 'cat', '/proc/self/uid_map']).trim(), /^0\s+(\d+)\s+65536$/);
      assert.match(ok(['run', '--rm', '--userns=host', IMAGE, 'cat', '/proc/self/uid_map']).trim(), /^0\s+0\s+4294967295$/);
      assert.match(ok(['info']), /User Namespaces: available .*default --userns=auto/);
    } finally {
      fs.rmSync(path.join(store.configHome, 'strata-nodejs', 'config.json'));
    }
  });

  it('refuses keep-id and unknown modes with one line and exit 125', () => {
    const keep = strata(['run', '--rm', '--userns=keep-id', IMAGE, 'true']);
    assert.equal(keep.status, 125, explain(keep));
    assert.match(keep.stderr, /keep-id .*use --userns=auto or --userns=host/);
    assert.equal(keep.stderr.trim().split('\n').length, 1, explain(keep));
    const bad = strata(['run', '--rm', '--userns=weird', IMAGE, 'true']);
    assert.equal(bad.status, 125, explain(bad));
    assert.match(bad.stderr, /invalid --userns mode "weird"/);
    const privileged = strata(['run', '--rm', '--userns=auto', '--privileged', IMAGE, 'true']);
    assert.equal(privileged.status, 125, explain(privileged));
    assert.match(privileged.stderr, /--userns=auto cannot be combined with --privileged/);
  });
});
