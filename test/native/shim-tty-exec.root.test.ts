// tty containers through the attach socket, and `strata-shim exec` into running containers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import pty from 'node-pty';
import { shimPath } from '../../source/native.js';
import { encodeFrame, FrameType, resizeFrame, writeSpec, type SpecEntries } from '../../source/engine/runtime/monitor-protocol.js';
import {
  attach, cleanupAll, cleanupFixture, DOCKER_CAPS, makeCgroup, makeFixture, NAMESPACES, readLog, spec, startShim,
  type Fixture,
} from './helpers.js';

let fx: Fixture;
afterEach(async () => {
  if (fx) await cleanupFixture(fx);
});
after(cleanupAll);

describe('tty containers', () => {
  it('gives the process a pty from its own devpts, relayed through the attach socket', async () => {
    fx = makeFixture();
    const run = startShim(fx, spec(fx, ['/bin/sh'], [['tty', '1'], ['open_stdin', '1'], ['wait_attach', '1'], ['env', 'TERM=xterm']]));
    await run.waitFor('attach-ready');
    const client = await attach(fx.socket);
    client.socket.write(resizeFrame(33, 101));
    await run.waitFor('started');
    client.socket.write(encodeFrame(FrameType.stdin, 'tty; stty size; ls /proc/self/fd | tr "\\n" " "; echo; echo mark-$((40+2))\n'));
    await client.waitForOutput(/mark-42\r\n/);
    const out = client.output();
    assert.match(out, /\/dev\/pts\/0\r\n/);
    assert.match(out, /33 101\r\n/);
    client.socket.write(resizeFrame(20, 70));
    client.socket.write(encodeFrame(FrameType.stdin, 'stty size; exit 5\n'));
    assert.equal(await client.exited, '5');
    assert.match(client.output(), /20 70\r\n/);
    await run.closed;
    assert.deepEqual(run.statuses.at(-1), { kind: 'exit', code: 5 });
    const log = readLog(fx.log);
    assert.ok(log.length > 0);
    assert.ok(log.every((r) => r.stream === 'stdout'));
    assert.match(log.map((r) => r.log).join(''), /33 101\r\n/);
  });
});

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function execSpec(fx: Fixture, target: number, args: string[], extra: SpecEntries = []): string {
  const entries: SpecEntries = [
    ['target_pid', String(target)],
    ...NAMESPACES.map((n): [string, string] => ['ns', n]),
    ...args.map((a): [string, string] => ['arg', a]),
    ['env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['env', 'GREETING=hello world'],
    ['cwd', '/'],
    ['user', '0:0'],
    ['groups', ''],
    ...DOCKER_CAPS.map((c): [string, string] => ['cap', c]),
    ['no_new_privs', '1'],
    ['tty', '0'],
    ...extra,
  ];
  const file = path.join(fx.dir, `exec-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, writeSpec(entries));
  return file;
}

function runExec(specFile: string, input?: string, onSpawn?: (pid: number) => void): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(shimPath, ['exec', specFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    onSpawn?.(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
  });
}

async function startSleeper(extra: SpecEntries = []): Promise<number> {
  fx = makeFixture();
  const run = startShim(fx, spec(fx, ['sleep', '120'], extra));
  const started = await run.waitFor('started');
  return (started as { pid: number }).pid;
}

describe('strata-shim exec', () => {
  it('joins the pid namespace and runs with the given env, cwd and security settings', async () => {
    const init = await startSleeper();
    const r = await runExec(
      execSpec(fx, init, ['sh', '-c', 'ps -o pid,comm; echo "$GREETING"; pwd; hostname; grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status; ls /proc/self/fd | tr "\\n" " "; echo; echo err >&2; exit 9'], [
        ['cwd', '/work/dir'],
      ]),
      '',
    );
    assert.equal(r.code, 9);
    assert.equal(r.stderr, 'err\n');
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines[1].trim().split(/\s+/), ['1', 'sleep']);
    assert.ok(lines.includes('hello world'));
    assert.ok(lines.includes('/work/dir'));
    assert.ok(lines.includes('box'));
    assert.ok(lines.includes('CapBnd:\t00000000a80425fb'));
    assert.ok(lines.includes('NoNewPrivs:\t1'));
    assert.ok(lines.includes('0 1 2 3 '));
  });

  it('relays stdin through a pipe and passes EOF on', async () => {
    const init = await startSleeper();
    const r = await runExec(execSpec(fx, init, ['sh', '-c', 'cat; echo after-eof']), 'line one\nline two\n');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'line one\nline two\nafter-eof\n');
  });

  it('uses docker exit codes and messages when the command cannot run', async () => {
    const init = await startSleeper();
    const missing = await runExec(execSpec(fx, init, ['no-such-thing']), '');
    assert.equal(missing.code, 127);
    assert.equal(missing.stderr, 'strata-shim: exec: "no-such-thing": executable file not found in $PATH\n');
    const noexec = await runExec(execSpec(fx, init, ['/etc/not-executable']), '');
    assert.equal(noexec.code, 126);
    assert.equal(noexec.stderr, 'strata-shim: exec /etc/not-executable: Permission denied\n');
    const gone = await runExec(execSpec(fx, 999_999_999, ['true']), '');
    assert.equal(gone.code, 125);
    assert.match(gone.stderr, /^strata-shim: open \/proc\/999999999\/ns\/ipc: No such file or directory\n$/);
    const killed = await runExec(execSpec(fx, init, ['sh', '-c', 'kill -9 $$']), '');
    assert.equal(killed.code, 137);
  });

  it('joins the container cgroups and runs from a sealed memfd copy', async () => {
    fx = makeFixture();
    const pids = makeCgroup(fx, 'pids');
    const run = startShim(fx, spec(fx, ['sleep', '120'], [['cgroup_join', path.join(pids, 'tasks')], ['cgroup_dir', pids]]));
    const init = ((await run.waitFor('started')) as { pid: number }).pid;
    let helper = 0;
    const result = runExec(
      execSpec(fx, init, ['sh', '-c', 'grep pids /proc/self/cgroup; sleep 1'], [['cgroup_join', path.join(pids, 'tasks')]]),
      '',
      (pid) => (helper = pid),
    );
    await new Promise((r) => setTimeout(r, 500));
    const exe = fs.readlinkSync(`/proc/${helper}/exe`);
    assert.match(exe, /^\/memfd:strata-shim \(deleted\)$/);
    const members = fs.readFileSync(path.join(pids, 'cgroup.procs'), 'utf8').trim().split('\n').map(Number);
    assert.ok(members.includes(init));
    assert.ok(members.includes(helper));
    const r = await result;
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+:pids:\/\n$/);
  });

  it('gives an interactive session a pty, raw mode and window size changes', async () => {
    const init = await startSleeper();
    const term = pty.spawn(shimPath, ['exec', execSpec(fx, init, ['/bin/sh'], [['tty', '1'], ['env', 'TERM=xterm']])], {
      cols: 91,
      rows: 27,
      name: 'xterm',
    });
    let out = '';
    const waitFor = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}: ${JSON.stringify(out)}`)), 5000);
        const check = () => {
          if (re.test(out)) {
            clearTimeout(timer);
            resolve();
          } else setTimeout(check, 20);
        };
        check();
      });
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    await waitFor(/# /);
    term.write('tty; stty size; echo ps=$(ps -o pid= | head -1)\r');
    await waitFor(/ps=\s*1/);
    assert.match(out, /\/dev\/pts\/\d+\r\n/);
    assert.match(out, /27 91\r\n/);
    term.resize(120, 40);
    await new Promise((r) => setTimeout(r, 200));
    term.write('stty size; exit 6\r');
    assert.equal(await exited, 6);
    assert.match(out, /40 120\r\n/);
  });
});
