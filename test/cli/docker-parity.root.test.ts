// docker parity of run options and exit codes, through the built CLI (dist/strata.js) as a user
// runs it: --security-opt, -w, uppercase references, restart's RestartCount, exit 1 of verbs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';

const skip = cliSkip();
const IMAGE = 'parity/busybox:latest';
const store = new CliStore('strata-parity-');
const strata = (args: string[]) => store.strata(args, { timeout: 60_000 });

describe('docker parity of run options and exit codes', { skip, timeout: 300_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
  });
  after(() => store.close());

  it('--security-opt: seccomp=unconfined, a JSON profile, label/apparmor kept, unknown refused', () => {
    const unconfined = strata(['run', '--rm', '--network', 'none', '--security-opt', 'seccomp=unconfined', IMAGE, 'grep', 'Seccomp:', '/proc/self/status']);
    assert.equal(unconfined.stdout, 'Seccomp:\t0\n', explain(unconfined));
    const profile = path.join(store.workDir, 'profile.json');
    fs.writeFileSync(profile, JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['uname'], action: 'SCMP_ACT_KILL_PROCESS' },
        { names: ['chmod', 'fchmodat'], action: 'SCMP_ACT_ERRNO', includes: { caps: ['CAP_SYS_ADMIN'] } },
      ],
    }, null, 2));
    const denied = strata(['run', '--rm', '--network', 'none', '--security-opt', `seccomp=${profile}`, IMAGE, 'sh', '-c', 'grep Seccomp: /proc/self/status; mkdir /x || echo NOMKDIR; chmod 700 /tmp && echo CHMOD']);
    assert.equal(denied.stdout, 'Seccomp:\t2\nNOMKDIR\nCHMOD\n', explain(denied));
    assert.match(denied.stderr, /Permission denied/);
    const killed = strata(['run', '--rm', '--network', 'none', '--security-opt', `seccomp=${profile}`, IMAGE, 'uname']);
    assert.equal(killed.status, 128 + 31, `SIGSYS: ${explain(killed)}`);

    const kept = strata(['create', '--security-opt', 'label=disable', '--security-opt', 'apparmor=unconfined', '--security-opt', 'no-new-privileges', IMAGE]);
    assert.equal(kept.status, 0, explain(kept));
    const opts = strata(['inspect', '-f', '{{json .HostConfig.SecurityOpt}}', kept.stdout.trim()]);
    assert.equal(opts.stdout, '["label=disable","apparmor=unconfined","no-new-privileges"]\n');

    const unknown = strata(['run', '--rm', '--security-opt', 'foo=bar', IMAGE, 'true']);
    assert.deepEqual([unknown.status, unknown.stderr], [125, 'strata: invalid --security-opt 2: "foo=bar"\n']);
    const noValue = strata(['create', '--security-opt', 'seccomp', IMAGE]);
    assert.deepEqual([noValue.status, noValue.stderr], [125, 'strata: Invalid --security-opt: "seccomp"\n']);
    const badBool = strata(['create', '--security-opt', 'no-new-privileges=maybe', IMAGE]);
    assert.deepEqual([badBool.status, badBool.stderr], [125, 'strata: invalid --security-opt 2: "no-new-privileges=maybe"\n']);
    const missing = strata(['create', '--security-opt', `seccomp=${path.join(store.workDir, 'none.json')}`, IMAGE]);
    assert.equal(missing.status, 125);
    assert.match(missing.stderr, /^strata: opening seccomp profile \(.*none\.json\) failed: /);

    const info = strata(['info', '-f', '{{json .SecurityOptions}}']);
    assert.equal(info.stdout, '["name=seccomp,profile=builtin","name=cgroupns"]\n', explain(info));
  });

  it('refuses a relative -w and an uppercase repository with exit 125', () => {
    const rel = strata(['create', '-w', 'rel', IMAGE]);
    assert.deepEqual([rel.status, rel.stderr], [125, "strata: the working directory 'rel' is invalid, it needs to be an absolute path\n"]);
    const upper = strata(['create', 'UPPER']);
    assert.deepEqual([upper.status, upper.stderr], [125, 'strata: invalid reference format: repository name (library/UPPER) must be lowercase\n']);
    const upperPath = strata(['create', 'lower/UPPER']);
    assert.deepEqual([upperPath.status, upperPath.stderr], [125, 'strata: invalid reference format: repository name (lower/UPPER) must be lowercase\n']);
  });

  it('restart does not count as a policy restart: RestartCount stays 0', () => {
    const id = strata(['run', '-d', '--network', 'none', IMAGE, 'sleep', '60']).stdout.trim();
    assert.equal(strata(['restart', '-t', '0', id]).status, 0);
    assert.equal(strata(['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', id]).stdout, '0 running\n');
    strata(['rm', '-f', id]);
  });

  it('exits 1 when a verb fails, 125 for bad flags, as docker', () => {
    for (const args of [['rm', 'nosuch'], ['stop', 'nosuch'], ['start', 'nosuch'], ['rmi', 'nosuch'], ['wait', 'nosuch']]) {
      const r = strata([...args]);
      assert.equal(r.status, 1, `${args.join(' ')}: ${explain(r)}`);
      assert.match(r.stderr, /^strata: No such (container|image): nosuch\n$/);
    }
    const inspect = strata(['inspect', 'nosuch']);
    assert.deepEqual([inspect.status, inspect.stderr], [1, 'strata: No such object: nosuch\n']);
    const badFlag = strata(['rm', '--x', 'a']);
    assert.deepEqual([badFlag.status, badFlag.stderr], [125, "strata: unknown flag: --x (see 'strata rm --help')\n"]);
    assert.equal(strata(['run', '--rm', 'no-such-image']).status, 125);
  });
});
