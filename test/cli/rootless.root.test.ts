// Rootless strata as a user checks it, with the built CLI on the real kernel: an unprivileged
// user (host nobody, given subordinate ids in /etc/subuid and /etc/subgid for the test only)
// runs strata, which re-enters itself in the user's own user namespace. Root in a container is
// the user outside; what it writes to a bind is the user's; host root's files stay out of its
// reach; ps, logs, exec, stop, rm and build work; the default network is slirp4netns, -p
// included (the test lets the user open /dev/net/tun, root's only on this VM, by an ACL entry it
// removes again); what needs root or cgroups is refused with one line. Needs root (to play the
// user and edit /etc/subuid) and dist/.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { parseSubordinate } from '../../source/engine/containers/subordinate-ids.js';
import { lgetxattr, lsetxattr } from '../../source/native.js';
import { CLI, REPO, cliSkip, explain } from '../support/cli.js';
import { until } from '../support/until.js';

const helper = path.join(REPO, 'build/Release/strata-rootless');
const USER = { name: 'nobody', uid: 65534, gid: 65534 };
const RANGE = 65536;
const skip = cliSkip() || (!fs.existsSync(helper) && 'build/Release/strata-rootless is not built');
const IMAGE = 'rootless/busybox:latest';

let workDir = '';
let home = '';
let xdgRuntime = '';
let subordinateLine = '';
let hostPasswd = '';

/**
 * strata as the unprivileged user, with a session's environment (no XDG_DATA_HOME: the default
 * store); in `cgroup` (a cgroup2 group delegated to the user) when given, as a session in it is.
 */
function strata(args: string[], cgroup?: string): SpawnSyncReturns<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: xdgRuntime, LANG: 'C' };
  const command = ['setpriv', `--reuid=${USER.uid}`, `--regid=${USER.gid}`, '--clear-groups', '--', process.execPath, CLI, ...args];
  const [file, ...rest] = cgroup ? ['sh', '-c', `echo $$ > ${cgroup}/cgroup.procs && exec "$@"`, 'sh', ...command] : command;
  const r = spawnSync(file, rest, { encoding: 'utf8', input: '', timeout: 120_000, env, cwd: workDir });
  if (r.error) throw r.error;
  return r;
}

function ok(args: string[], cgroup?: string): string {
  const r = strata(args, cgroup);
  assert.equal(r.status, 0, explain(r));
  return r.stdout;
}

function refused(args: string[], code: number, pattern: RegExp): void {
  const r = strata(args);
  assert.equal(r.status, code, explain(r));
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, `not one line:\n${explain(r)}`);
}

/** A start for the user's ids that no entry of either file overlaps. */
function freeStart(): number {
  const entries = ['/etc/subuid', '/etc/subgid'].flatMap((f) => (fs.existsSync(f) ? parseSubordinate(fs.readFileSync(f, 'utf8')) : []));
  let start = 3_000_000_000;
  for (const e of entries.sort((a, b) => a.start - b.start)) if (e.start < start + RANGE && start < e.start + e.count) start = e.start + e.count;
  return start;
}

/** Removes exactly the test's line, leaving every other line (other tests may add theirs meanwhile). */
function removeLine(file: string, line: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const kept = text.split('\n').filter((l) => l !== line);
  fs.writeFileSync(file, kept.join('\n'));
}

// This VM keeps /dev/net/tun root's (0600); distributions make it 0666. The test lets the user
// open it for the slirp4netns case only, by a POSIX ACL entry it removes again (restoring the
// minimal ACL makes the kernel drop the attribute and keep the mode as it was).
const TUN = '/dev/net/tun';
const ACL = 'system.posix_acl_access';
let tunGrant: { mode: number; acl: Buffer | null } | undefined;

function aclOf(entries: Array<[number, number, number]>): Buffer {
  const b = Buffer.alloc(4 + entries.length * 8);
  b.writeUInt32LE(2, 0);
  entries.forEach(([tag, perm, id], i) => { b.writeUInt16LE(tag, 4 + i * 8); b.writeUInt16LE(perm, 6 + i * 8); b.writeUInt32LE(id, 8 + i * 8); });
  return b;
}

const ANY = 0xffffffff;
function grantTun(): { mode: number; acl: Buffer | null } {
  const mode = fs.statSync(TUN).mode & 0o777;
  const acl = lgetxattr(TUN, ACL);
  const bits = (shift: number) => (mode >> shift) & 7;
  lsetxattr(TUN, ACL, aclOf([[0x01, bits(6), ANY], [0x02, 6, USER.uid], [0x04, bits(3), ANY], [0x10, 6 | bits(3), ANY], [0x20, bits(0), ANY]]));
  return { mode, acl };
}

function restoreTun(): void {
  if (!tunGrant) return;
  const { mode, acl } = tunGrant;
  lsetxattr(TUN, ACL, acl ?? aclOf([[0x01, (mode >> 6) & 7, ANY], [0x04, (mode >> 3) & 7, ANY], [0x20, mode & 7, ANY]]));
  assert.equal(fs.statSync(TUN).mode & 0o777, mode, `${TUN} did not get its mode back`);
  assert.deepEqual(lgetxattr(TUN, ACL), acl, `${TUN} did not get its ACL back`);
  tunGrant = undefined;
}

function userCanOpenTun(): boolean {
  return spawnSync('setpriv', [`--reuid=${USER.uid}`, `--regid=${USER.gid}`, '--clear-groups', 'sh', '-c', `exec 3<>${TUN}`]).status === 0;
}

function slirpOfUser(): number[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'slirp4netns' && fs.statSync(`/proc/${p}`).uid === USER.uid;
    } catch { return false; }
  }).map(Number);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function chownTree(dir: string): void {
  fs.chownSync(dir, USER.uid, USER.gid);
}

describe('rootless strata (an unprivileged user)', { skip, timeout: 900_000 }, () => {
  let start = 0;
  before(async () => {
    hostPasswd = fs.readFileSync('/etc/passwd', 'utf8');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-rootless-'));
    fs.chmodSync(workDir, 0o755);
    chownTree(workDir);
    home = path.join(workDir, 'home');
    xdgRuntime = path.join(workDir, 'xdg-run');
    fs.mkdirSync(home);
    fs.mkdirSync(xdgRuntime, { mode: 0o700 });
    chownTree(home);
    chownTree(xdgRuntime);
    start = freeStart();
    subordinateLine = `${USER.name}:${start}:${RANGE}`;
    for (const f of ['/etc/subuid', '/etc/subgid']) {
      const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
      fs.appendFileSync(f, `${text === '' || text.endsWith('\n') ? '' : '\n'}${subordinateLine}\n`);
    }
    const tarFile = path.join(workDir, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(tarFile));
    chownTree(tarFile);
    ok(['import', tarFile, IMAGE, '-c', 'CMD ["sh"]']);
  });

  after(() => {
    restoreTun();
    if (!workDir) return;
    const names = strata(['ps', '-aq']).stdout.split('\n').filter(Boolean);
    if (names.length) strata(['rm', '-f', ...names]);
    // the user's pause processes (they hold the namespaces) go with the test
    for (const dir of ['strata', 'unmapped']) {
      const pidFile = path.join(xdgRuntime, dir, 'pause.pid');
      if (!fs.existsSync(pidFile)) continue;
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      const comm = (() => { try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } })();
      if (comm === 'strata-pause') process.kill(pid, 'SIGKILL');
    }
    for (const f of ['/etc/subuid', '/etc/subgid']) if (subordinateLine) removeLine(f, subordinateLine);
    fs.rmSync(workDir, { recursive: true, force: true });
    for (const f of ['/etc/subuid', '/etc/subgid']) {
      assert.ok(!fs.readFileSync(f, 'utf8').split('\n').includes(subordinateLine), `${f} still has the test's line`);
    }
    assert.equal(fs.readFileSync('/etc/passwd', 'utf8'), hostPasswd, '/etc/passwd changed');
  });

  it('keeps its store and runtime state in the user\'s directories, and info says rootless', () => {
    const info = ok(['info']);
    assert.match(info, /^Rootless: true$/m);
    assert.match(info, new RegExp(`^ ID Maps: uid 0:${USER.uid}:1 1:${start}:${RANGE}; gid 0:${USER.gid}:1 1:${start}:${RANGE}`, 'm'));
    assert.match(info, /^ Cgroups: none \(cgroup v1 gives no delegation to unprivileged users\)/m);
    assert.match(info, /^ Networks: (slirp4netns \(the default|none, host; not slirp4netns: )/m);
    assert.match(info, new RegExp(`^Strata Root Dir: ${home}/\\.local/share/strata$`, 'm'));
    assert.match(info, new RegExp(`^Runtime Dir: ${xdgRuntime}/strata$`, 'm'));
    const store = fs.statSync(path.join(home, '.local/share/strata/containers'));
    assert.equal(store.uid, USER.uid, 'the store is not the user\'s');
    assert.equal(fs.statSync(path.join(xdgRuntime, 'strata')).mode & 0o777, 0o700);
  });

  it('root in a container is the user outside, and image files are root\'s inside', () => {
    const out = ok(['run', '--rm', '--network', 'none', IMAGE, 'sh', '-c', 'id; cat /proc/self/uid_map; stat -c %u:%g /bin/busybox /etc']);
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^uid=0\(root\) gid=0\(root\)/);
    assert.deepEqual(lines[1].trim().split(/\s+/).map(Number), [0, USER.uid, 1]);
    assert.deepEqual(lines.slice(3), ['0:0', '0:0']);
    // on the host, the image's root-owned files belong to the user (extracted in the namespace)
    const layers = path.join(home, '.local/share/strata/layers');
    const diff = fs.readdirSync(layers).map((l) => path.join(layers, l, 'diff', 'bin', 'busybox')).find((f) => fs.existsSync(f));
    assert.ok(diff, 'no layer holds bin/busybox');
    assert.equal(fs.statSync(diff).uid, USER.uid);
  });

  it('ps, logs, exec, stop and rm work on a running container; a bind\'s new files are the user\'s', () => {
    const shared = path.join(workDir, 'shared');
    fs.mkdirSync(shared);
    chownTree(shared);
    ok(['run', '-d', '--name', 'web', '--network', 'none', '-v', `${shared}:/shared`, '-v', 'rootless-vol:/vol', IMAGE, 'sh', '-c', 'echo started; touch /shared/made /vol/in-volume; exec sleep 300']);
    assert.match(ok(['ps']), /\bUp\b.*\bweb$/m);
    const logs = (): string => ok(['logs', 'web']);
    const deadline = Date.now() + 60_000;
    while (!logs().includes('started') && Date.now() < deadline) spawnSync('sleep', ['0.2']);
    assert.equal(logs(), 'started\n');
    assert.equal(ok(['exec', 'web', 'sh', '-c', 'id -u; echo hi > /shared/from-exec; ls /shared']), '0\nfrom-exec\nmade\n');
    for (const f of ['made', 'from-exec']) {
      const st = fs.statSync(path.join(shared, f));
      assert.deepEqual([st.uid, st.gid], [USER.uid, USER.gid], `${f} is not the user's on the host`);
    }
    const volume = fs.statSync(path.join(ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'rootless-vol']).trim(), 'in-volume'));
    assert.deepEqual([volume.uid, volume.gid], [USER.uid, USER.gid], 'the named volume\'s new file is not the user\'s on the host');
    ok(['stop', '-t', '1', 'web']);
    assert.match(ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}']), /^web Exited \(137\)/m);
    ok(['rm', '-v', 'web']);
    assert.equal(ok(['ps', '-aq']), '');
    ok(['volume', 'rm', 'rootless-vol']);
  });

  it('host root\'s files are not writable from inside', () => {
    const before = fs.readFileSync('/etc/hostname', 'utf8');
    const r = strata(['run', '--rm', '--network', 'none', '-v', '/etc:/hostetc', IMAGE, 'sh', '-c',
      'stat -c %u /hostetc/hostname; echo x >> /hostetc/hostname || echo denied-write; touch /hostetc/strata-rootless-probe || echo denied-create; chmod 777 /hostetc/hostname || echo denied-chmod']);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, '65534\ndenied-write\ndenied-create\ndenied-chmod\n'); // host root is nobody inside
    assert.equal(fs.readFileSync('/etc/hostname', 'utf8'), before);
    assert.ok(!fs.existsSync('/etc/strata-rootless-probe'));
  });

  it('builds a Dockerfile: owners of the subordinate range, opaque directories, COPY', () => {
    const ctx = path.join(workDir, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), [
      `FROM ${IMAGE}`,
      'RUN mkdir /d && touch /d/old && touch /owned && chown 1000:1000 /owned',
      'RUN rm -rf /d && mkdir /d && echo new > /d/new',
      'COPY note /note',
      'CMD ["cat", "/note"]',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(ctx, 'note'), 'copied\n');
    for (const f of ['', 'Dockerfile', 'note']) chownTree(path.join(ctx, f));
    ok(['build', '--network', 'none', '-t', 'rootless/built', ctx]);
    assert.equal(ok(['run', '--rm', '--network', 'none', 'rootless/built']), 'copied\n');
    assert.equal(ok(['run', '--rm', '--network', 'none', 'rootless/built', 'sh', '-c', 'ls /d; stat -c %u:%g /owned']), 'new\n1000:1000\n');
  });

  it('refuses what needs root or cgroups with one line naming it', () => {
    refused(['run', '--rm', '--network', 'none', '--memory', '64m', IMAGE, 'true'], 125, /^strata: rootless strata cannot apply --memory: no memory cgroup is delegated/);
    refused(['run', '--rm', '--network', 'none', '--cpus', '0.5', IMAGE, 'true'], 125, /cannot apply --cpus: no cpu cgroup/);
    refused(['run', '--rm', '--network', 'none', '--pids-limit', '10', IMAGE, 'true'], 125, /cannot apply --pids-limit: no pids cgroup/);
    ok(['network', 'create', 'rootless-net']);
    refused(['run', '--rm', '--network', 'rootless-net', IMAGE, 'true'], 125, /cannot join network "rootless-net": user-defined bridge networks need root/);
    ok(['network', 'rm', 'rootless-net']);
    refused(['run', '--rm', '--network', 'none', '--userns=auto', IMAGE, 'true'], 125, /--userns=auto is not available to rootless strata/);
    ok(['run', '-d', '--name', 'frozen', '--network', 'none', IMAGE, 'sleep', '300']);
    refused(['pause', 'frozen'], 1, /cannot pause container frozen: pausing needs the freezer cgroup/);
    refused(['update', '--memory', '64m', 'frozen'], 1, /cannot apply --memory/);
    ok(['rm', '-f', 'frozen']);
  });

  it('networks a container through slirp4netns by default, -p included, when the user may open /dev/net/tun', async () => {
    if (!userCanOpenTun()) {
      // this host keeps the tun device root's (mode 0600): refused with what is missing, until the test grants it
      refused(['run', '--rm', IMAGE, 'true'], 125, /cannot network this container: slirp4netns needs \/dev\/net\/tun, which this user cannot open.*use --network none or --network host/);
      tunGrant = grantTun();
    }
    try {
      assert.ok(userCanOpenTun(), 'the ACL did not let the user open /dev/net/tun');
      const net = ok(['run', '--rm', IMAGE, 'sh', '-c', 'ip -4 addr show tap0 | grep -o "inet [0-9./]*"; ip route | grep default; cat /etc/resolv.conf']);
      assert.match(net, /^inet 10\.0\.2\.100\/24$/m);
      assert.match(net, /^default via 10\.0\.2\.2 dev tap0/m);
      assert.match(net, /^nameserver 10\.0\.2\.3$/m);
      const port = await freePort();
      ok(['run', '-d', '--name', 'served', '-p', `127.0.0.1:${port}:80`, IMAGE, 'sh', '-c', 'mkdir /www && echo served-rootless > /www/index.html && exec httpd -f -p 80 -h /www']);
      assert.equal(ok(['port', 'served']), `80/tcp -> 127.0.0.1:${port}\n`);
      const body = await until(`http on 127.0.0.1:${port}`, 60_000, async () => {
        try { return await (await fetch(`http://127.0.0.1:${port}/`)).text(); } catch { return undefined; }
      });
      assert.equal(body, 'served-rootless\n');
      ok(['rm', '-f', 'served']);
      // slirp4netns ends with its container's monitor
      await until('slirp4netns of the removed container to end', 30_000, async () => (slirpOfUser().length === 0 ? true : undefined));
    } finally {
      restoreTun();
    }
  });

  it('pauses with a delegated cgroup v2 group (cgroup.freeze), as a systemd user slice would give it', () => {
    // host root delegates a cgroup2 group to the user, as systemd does for user@UID.service
    const mount = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' - ')).find((p) => p[1]?.startsWith('cgroup2 '))?.[0].split(' ')[4];
    assert.ok(mount, 'no cgroup2 mount on this host');
    const group = path.join(mount, `strata-rootless-test-${process.pid}`);
    fs.mkdirSync(group);
    try {
      for (const f of ['', 'cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads']) fs.chownSync(path.join(group, f), USER.uid, USER.gid);
      const inGroup = (args: string[]) => ok(args, group);
      assert.match(inGroup(['info']), new RegExp(`^ Cgroups: v2 delegated: freezer under ${group}$`, 'm'));
      inGroup(['run', '-d', '--name', 'thawed', '--network', 'none', IMAGE, 'sleep', '300']);
      const id = inGroup(['inspect', '-f', '{{.Id}}', 'thawed']).trim();
      inGroup(['pause', 'thawed']);
      assert.match(fs.readFileSync(path.join(group, 'strata', id, 'cgroup.events'), 'utf8'), /^frozen 1$/m);
      assert.match(inGroup(['ps', '--format', '{{.Names}} {{.Status}}']), /^thawed Up .* \(Paused\)$/m);
      inGroup(['unpause', 'thawed']);
      assert.match(fs.readFileSync(path.join(group, 'strata', id, 'cgroup.events'), 'utf8'), /^frozen 0$/m);
      inGroup(['rm', '-f', 'thawed']);
      assert.ok(!fs.existsSync(path.join(group, 'strata', id)), 'the container\'s group was left');
    } finally {
      const names = strata(['ps', '-aq']).stdout.split('\n').filter(Boolean);
      if (names.length) strata(['rm', '-f', ...names]);
      if (fs.existsSync(path.join(group, 'strata'))) for (const d of fs.readdirSync(path.join(group, 'strata'), { withFileTypes: true })) if (d.isDirectory()) fs.rmdirSync(path.join(group, 'strata', d.name));
      if (fs.existsSync(path.join(group, 'strata'))) fs.rmdirSync(path.join(group, 'strata'));
      fs.rmdirSync(group);
    }
  });

  it('runs in the host\'s network namespace with --network host', () => {
    const out = ok(['run', '--rm', '--network', 'host', IMAGE, 'sh', '-c', 'ls /sys/class/net; id -u']);
    assert.match(out, /^lo$/m);
    assert.match(out, /^0$/m);
  });

  // last: it takes the test's subordinate ids away
  it('without subordinate ids maps only the user, and says so when an image has other owners', () => {
    for (const f of ['/etc/subuid', '/etc/subgid']) removeLine(f, subordinateLine);
    const own = ['--root', path.join(workDir, 'unmapped-store'), '--runtime-dir', path.join(xdgRuntime, 'unmapped')];
    assert.match(ok([...own, 'info']), new RegExp(`^ ID Maps: uid 0:${USER.uid}:1; gid 0:${USER.gid}:1 `, 'm'));
    // the busybox rootfs has /home/user owned by 1000
    refused([...own, 'import', path.join(workDir, 'busybox.tar'), 'unmapped'], 1, /^strata: layer entry "home\/user\/" belongs to an id the user namespace does not map: give this user subordinate ids in \/etc\/subuid and \/etc\/subgid/);
  });
});
