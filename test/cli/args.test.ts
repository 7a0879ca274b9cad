import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, type CommandSpec } from '../../source/cli/args.js';
import { CONTAINER_CONFIG_FLAGS, buildCreateOptions } from '../../source/cli/containers.js';
import { checkPlatform, parseAttachStreams, parseDetachKeys, parseDevice, parseNamespaceMode, parsePullPolicy, parseSysctls, parseUlimit } from '../../source/cli/run-values.js';
import { splitGlobalFlags, resolveGlobalOptions, configFilePath } from '../../source/cli/globals.js';

const RUN_LIKE: CommandSpec = {
  name: 'run',
  usage: '',
  summary: '',
  stopAtFirstPositional: true,
  minArgs: 1,
  flags: [
    { long: 'detach', short: 'd', kind: 'bool', help: '' },
    { long: 'interactive', short: 'i', kind: 'bool', help: '' },
    { long: 'tty', short: 't', kind: 'bool', help: '' },
    { long: 'rm', kind: 'bool', help: '' },
    { long: 'name', kind: 'string', help: '' },
    { long: 'env', short: 'e', kind: 'list', help: '' },
    { long: 'hostname', short: 'h', kind: 'string', help: '' },
    { long: 'memory', short: 'm', kind: 'string', help: '' },
  ],
};

function runArgs(argv: string[]) {
  return parseCommandLine(argv, RUN_LIKE);
}

describe('parseCommandLine', () => {
  it('stops at the image: the rest is the command with its own flags', () => {
    const p = runArgs(['--rm', 'busybox', 'sh', '-c', 'echo hi', '--name', 'x']);
    assert.equal(p.flags.rm, true);
    assert.equal(p.flags.name, undefined);
    assert.deepEqual(p.args, ['busybox', 'sh', '-c', 'echo hi', '--name', 'x']);
  });

  it('reads combined short flags like -it and -dit', () => {
    assert.deepEqual(runArgs(['-it', 'img']).flags, { interactive: true, tty: true });
    assert.deepEqual(runArgs(['-dit', 'img']).flags, { detach: true, interactive: true, tty: true });
  });

  it('lets the last short flag of a cluster take a value', () => {
    const p = runArgs(['-de', 'A=1', '-eB=2', '-e=C=3', 'img']);
    assert.deepEqual(p.flags.env, ['A=1', 'B=2', 'C=3']);
    assert.equal(p.flags.detach, true);
  });

  it('repeats -e and --env', () => {
    const p = runArgs(['-e', 'A=1', '--env', 'B=2', '--env=C=3', 'img']);
    assert.deepEqual(p.flags.env, ['A=1', 'B=2', 'C=3']);
  });

  it('takes --flag=value and --flag value', () => {
    assert.equal(runArgs(['--name=web', 'img']).flags.name, 'web');
    assert.equal(runArgs(['--name', 'web', 'img']).flags.name, 'web');
  });

  it('reads --bool=false', () => {
    assert.equal(runArgs(['--rm=false', 'img']).flags.rm, false);
  });

  it('treats -h as --hostname where the verb says so, --help stays help', () => {
    assert.equal(runArgs(['-h', 'box', 'img']).flags.hostname, 'box');
    assert.equal(runArgs(['--help']).help, true);
  });

  it('gives -h to help for other verbs', () => {
    assert.equal(parseCommandLine(['-h'], { name: 'ps', usage: '', summary: '', flags: [] }).help, true);
  });

  it('ends flags at --', () => {
    const spec: CommandSpec = { name: 'rm', usage: '', summary: '', flags: [{ long: 'force', short: 'f', kind: 'bool', help: '' }] };
    assert.deepEqual(parseCommandLine(['--', '-f'], spec).args, ['-f']);
    assert.deepEqual(parseCommandLine(['a', '-f', 'b'], spec), { flags: { force: true }, args: ['a', 'b'], help: false });
  });

  it('names unknown flags and flags missing their value', () => {
    assert.throws(() => runArgs(['--bogus', 'img']), { message: 'unknown flag: --bogus', exitCode: 125 } as object);
    assert.throws(() => runArgs(['-x', 'img']), /unknown shorthand flag: 'x' in -x/);
    assert.deepEqual(runArgs(['img', '--name']).args, ['img', '--name']); // after the image: the command's
    assert.throws(() => runArgs(['--name']), /flag needs an argument: --name/);
    assert.throws(() => runArgs(['-e']), /flag needs an argument: 'e' in -e/);
  });

  it('checks the number of arguments', () => {
    assert.throws(() => runArgs([]), /"strata run" requires 1 argument/);
    const rename: CommandSpec = { name: 'rename', usage: '', summary: '', flags: [], minArgs: 2, maxArgs: 2 };
    assert.throws(() => parseCommandLine(['a'], rename), /requires exactly 2 arguments/);
    assert.throws(() => parseCommandLine(['a', 'b', 'c'], rename), /accepts at most 2 arguments/);
  });
});

describe('buildCreateOptions', () => {
  const parse = (argv: string[]) => parseCommandLine(argv, {
    name: 'run',
    usage: '',
    summary: '',
    stopAtFirstPositional: true,
    flags: [
      ...RUN_LIKE.flags,
      { long: 'cpus', kind: 'string', help: '' },
      { long: 'pids-limit', kind: 'string', help: '' },
      { long: 'cpu-shares', short: 'c', kind: 'string', help: '' },
      { long: 'entrypoint', kind: 'string', help: '' },
      { long: 'label', short: 'l', kind: 'list', help: '' },
      { long: 'log-opt', kind: 'list', help: '' },
      { long: 'network', kind: 'list', help: '' },
      { long: 'stop-timeout', kind: 'string', help: '' },
      { long: 'cap-add', kind: 'list', help: '' },
      { long: 'cgroupns', kind: 'string', help: '' },
    ],
  });

  it('maps docker flags onto CreateOptions', () => {
    const opts = buildCreateOptions(parse(['--rm', '-it', '--name', 'web', '-e', 'A=1', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '20', '-c', '512', '--label', 'tier=front', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3', '--network', 'none', '--stop-timeout', '3', '--cap-add', 'NET_ADMIN', 'busybox', 'sh', '-c', 'exit 3']));
    assert.deepEqual(opts, {
      image: 'busybox',
      cmd: ['sh', '-c', 'exit 3'],
      env: ['A=1'],
      name: 'web',
      tty: true,
      openStdin: true,
      autoRemove: true,
      limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 20, cpuShares: 512 },
      capAdd: ['NET_ADMIN'],
      labels: { tier: 'front' },
      stopTimeout: 3,
      log: { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 },
      network: 'none',
    });
  });

  it('keeps the image command when none is given and clears the entrypoint with --entrypoint ""', () => {
    const opts = buildCreateOptions(parse(['--entrypoint', '', 'busybox']));
    assert.equal(opts.cmd, undefined);
    assert.deepEqual(opts.entrypoint, []);
  });

  it('takes --cgroupns host|private, the default when empty, and refuses anything else as docker', () => {
    assert.equal(buildCreateOptions(parse(['--cgroupns', 'private', 'img'])).cgroupns, 'private');
    assert.equal(buildCreateOptions(parse(['--cgroupns=host', 'img'])).cgroupns, 'host');
    assert.equal(buildCreateOptions(parse(['--cgroupns', '', 'img'])).cgroupns, undefined);
    assert.equal(buildCreateOptions(parse(['img'])).cgroupns, undefined);
    assert.throws(() => buildCreateOptions(parse(['--cgroupns', 'shared', 'img'])), /--cgroupns: invalid CGROUP mode/);
  });

  it('names the flag whose value is bad', () => {
    assert.throws(() => buildCreateOptions(parse(['--memory', '64x', 'img'])), /invalid argument "64x" for "--memory" flag/);
    assert.throws(() => buildCreateOptions(parse(['--cpus', 'lots', 'img'])), /for "--cpus" flag/);
    assert.throws(() => buildCreateOptions(parse(['--pids-limit', 'ten', 'img'])), /for "--pids-limit" flag/);
    assert.throws(() => buildCreateOptions(parse(['--network', 'bad name!', 'img'])), /for "--network" flag/);
    assert.throws(() => buildCreateOptions(parse(['--log-opt', 'max-size=big', 'img'])), /--log-opt max-size/);
  });
});

describe('global options', () => {
  it('splits global flags from the verb', () => {
    assert.deepEqual(splitGlobalFlags(['--root', '/r', '--runtime-dir=/x', 'ps', '-a']), { flags: { root: '/r', runtimeDir: '/x' }, rest: ['ps', '-a'] });
    assert.throws(() => splitGlobalFlags(['--bogus', 'ps']), /unknown flag: --bogus/);
  });

  it('prefers flags over the environment over defaults', async () => {
    const env = { STRATA_ROOT: '/env/root', XDG_CONFIG_HOME: '/nonexistent-config' };
    assert.deepEqual(await resolveGlobalOptions({ root: '/flag/root' }, env, 0), { root: '/flag/root', runtimeDir: '/run/strata' });
    assert.deepEqual(await resolveGlobalOptions({}, env, 0), { root: '/env/root', runtimeDir: '/run/strata' });
  });

  it('gives an unprivileged user (rootless) the user\'s XDG directories, podman\'s way', async () => {
    const env = { HOME: '/home/u', XDG_CONFIG_HOME: '/nonexistent-config' };
    assert.deepEqual(await resolveGlobalOptions({}, env, 1000), { root: '/home/u/.local/share/strata', runtimeDir: '/tmp/strata-run-1000' });
    const xdg = { ...env, XDG_DATA_HOME: '/data', XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.deepEqual(await resolveGlobalOptions({}, xdg, 1000), { root: '/data/strata', runtimeDir: '/run/user/1000/strata' });
    assert.deepEqual(await resolveGlobalOptions({ root: '/flag/root' }, xdg, 1000), { root: '/flag/root', runtimeDir: '/run/user/1000/strata' });
    // relative XDG values are ignored, as the XDG spec says
    assert.deepEqual(await resolveGlobalOptions({}, { ...env, XDG_DATA_HOME: 'rel', XDG_RUNTIME_DIR: 'rel' }, 1000), { root: '/home/u/.local/share/strata', runtimeDir: '/tmp/strata-run-1000' });
  });

  it('finds the config file where conf keeps it', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-conf-'));
    try {
      const env = { XDG_CONFIG_HOME: dir };
      const saved = process.env.XDG_CONFIG_HOME;
      process.env.XDG_CONFIG_HOME = dir;
      try {
        const { default: Conf } = await import('conf');
        assert.equal(new Conf({ projectName: 'strata' }).path, await configFilePath(env));
      } finally {
        if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
        else process.env.XDG_CONFIG_HOME = saved;
      }
      const file = await configFilePath(env);
      assert.equal(file, path.join(dir, 'strata-nodejs', 'config.json'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ root: '/conf/root', runtimeDir: '/conf/run' }));
      assert.deepEqual(await resolveGlobalOptions({}, env, 0), { root: '/conf/root', runtimeDir: '/conf/run' });
      assert.deepEqual(await resolveGlobalOptions({}, { ...env, STRATA_RUNTIME_DIR: '/env/run' }, 0), { root: '/conf/root', runtimeDir: '/env/run' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run flags of docker parity', () => {
  const parse = (argv: string[]) => parseCommandLine(argv, { name: 'run', usage: '', summary: '', stopAtFirstPositional: true, flags: CONTAINER_CONFIG_FLAGS });

  it('maps them onto CreateOptions', () => {
    const opts = buildCreateOptions(parse([
      '--ulimit', 'nofile=512:1024', '--ulimit', 'core=0', '--shm-size', '128m', '--device', '/dev/fuse', '--device', '/dev/zero:/dev/z:r',
      '--sysctl', 'net.ipv4.ip_forward=1', '--ipc', 'host', '--pid', 'container:db', '--uts', 'host', '--group-add', 'audio', '--group-add', '42',
      '--dns-search', 'example.com', '--dns-option', 'ndots:2', '--domainname', 'example.org', '--cidfile', '/tmp/cid', '--oom-score-adj', '-500',
      '--memory', '64m', '--memory-swap', '-1', '--memory-reservation', '32m', '--cpuset-cpus', '0-1', '--cpu-period', '50000', '--cpu-quota', '25000',
      '--volumes-from', 'data:ro', '--annotation', 'a.b=c', '--cgroup-parent', 'mine', 'img',
    ]));
    assert.deepEqual(opts, {
      image: 'img',
      limits: { memoryBytes: 64 << 20, memorySwapBytes: -1, memoryReservationBytes: 32 << 20, cpusetCpus: '0-1', cpuPeriod: 50000, cpuQuota: 25000 },
      ulimits: [{ name: 'nofile', soft: 512, hard: 1024 }, { name: 'core', soft: 0, hard: 0 }],
      shmSizeBytes: 128 << 20,
      devices: [{ pathOnHost: '/dev/fuse', pathInContainer: '/dev/fuse', cgroupPermissions: 'rwm' }, { pathOnHost: '/dev/zero', pathInContainer: '/dev/z', cgroupPermissions: 'r' }],
      groupAdd: ['audio', '42'],
      ipcMode: 'host',
      pidMode: 'container:db',
      utsMode: 'host',
      sysctls: { 'net.ipv4.ip_forward': '1' },
      oomScoreAdj: -500,
      dnsSearch: ['example.com'],
      dnsOptions: ['ndots:2'],
      domainname: 'example.org',
      volumesFrom: ['data:ro'],
      containerIdFile: '/tmp/cid',
      cgroupParent: 'mine',
      annotations: { 'a.b': 'c' },
    });
  });

  it('refuses what docker refuses, naming the flag', () => {
    assert.throws(() => parseUlimit('nofile=2048:1024'), /ulimit soft limit must be less than or equal to hard limit: 2048 > 1024/);
    assert.throws(() => parseUlimit('bogus=1'), /invalid ulimit type: bogus/);
    assert.throws(() => parseUlimit('nofile'), /invalid ulimit argument: nofile/);
    assert.throws(() => parseSysctls(['vm.swappiness=10']), /sysctl 'vm.swappiness=10' is not allowed/);
    assert.deepEqual(parseSysctls(['kernel.shmmax=1', 'fs.mqueue.msg_max=20']), { 'kernel.shmmax': '1', 'fs.mqueue.msg_max': '20' });
    assert.throws(() => parseNamespaceMode('shared', '--pid'), /--pid: invalid PID mode/);
    assert.throws(() => parseDevice('/dev/a:/dev/b:/dev/c'), /invalid device specification/);
    assert.throws(() => parsePullPolicy('sometimes'), /invalid pull option: 'sometimes'/);
    assert.equal(parsePullPolicy(undefined), 'missing');
    assert.equal(parsePullPolicy('missing'), 'missing');
    assert.throws(() => parseAttachStreams(['stdout', 'tty']), /valid streams are STDIN, STDOUT and STDERR/);
    assert.deepEqual(parseAttachStreams(['STDOUT']), ['stdout']);
  });

  it('reads --detach-keys as docker does', () => {
    assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), [0x10, 0x11]);
    assert.deepEqual(parseDetachKeys('ctrl-a,x'), [1, 0x78]);
    assert.throws(() => parseDetachKeys('ctrl-'), /Invalid detach keys \(ctrl-\) provided/);
  });

  it('accepts the host platform only', () => {
    checkPlatform('linux/amd64', 'x64');
    checkPlatform('linux/arm64', 'arm64');
    assert.throws(() => checkPlatform('linux/arm64', 'x64'), /platform "linux\/arm64" cannot run on this host \(linux\/amd64\)/);
    assert.throws(() => checkPlatform('windows/amd64', 'x64'), /cannot run on this host/);
  });

  it('--sig-proxy=false is kept apart from its default', () => {
    assert.equal(parse(['--sig-proxy=false', 'img']).flags['sig-proxy'], false);
    assert.equal(parse(['img']).flags['sig-proxy'], undefined);
  });
});
