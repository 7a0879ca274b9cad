import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../../source/engine/api.js';
import { main as containers } from '../../source/cli/containers.js';
import { main as images } from '../../source/cli/images.js';
import { main as inspect } from '../../source/cli/inspect.js';
import { main as logs } from '../../source/cli/logs.js';
import { main as ps } from '../../source/cli/ps.js';
import { main as stats } from '../../source/cli/stats.js';
import { FakeEngine, fakeContext } from './fake-engine.js';

describe('run', () => {
  it('streams stdout and stderr apart, returns the exit code and removes with --rm', async () => {
    const engine = new FakeEngine();
    engine.script = () => ({ stdout: ['hi\n'], stderr: ['oops\n'], exitCode: 3 });
    const io = fakeContext(engine);
    const code = await containers('run', ['--rm', '--name', 'echo', 'img', 'sh', '-c', 'echo hi; exit 3'], io.ctx);
    assert.equal(code, 3);
    assert.equal(io.stdout.text, 'hi\n');
    assert.equal(io.stderr.text, 'oops\n');
    const create = engine.calls.find((c) => c[0] === 'create')![1];
    assert.deepEqual(create, { image: 'img', cmd: ['sh', '-c', 'echo hi; exit 3'], name: 'echo', autoRemove: true });
    assert.ok(engine.calls.some((c) => c[0] === 'rm' && c[2] === true));
    assert.equal(engine.containers.size, 0);
  });

  it('lets a start failure through with its exit code, still removing with --rm', async () => {
    const engine = new FakeEngine();
    engine.script = () => ({ failStart: new EngineError('exec: "nope": executable file not found in $PATH', 'command-not-found') });
    const io = fakeContext(engine);
    await assert.rejects(containers('run', ['--rm', 'img', 'nope'], io.ctx), (err: EngineError) => err.exitCode === 127);
    assert.equal(engine.containers.size, 0);
  });

  it('keeps the container without --rm', async () => {
    const engine = new FakeEngine();
    const io = fakeContext(engine);
    assert.equal(await containers('run', ['img', 'true'], io.ctx), 0);
    assert.equal(engine.containers.size, 1);
  });

  it('prints the full id with -d and does not attach', async () => {
    const engine = new FakeEngine();
    const io = fakeContext(engine);
    assert.equal(await containers('run', ['-d', 'img', 'sleep', '9'], io.ctx), 0);
    assert.match(io.stdout.text, /^[0-9a-f]{64}\n$/);
    assert.deepEqual(engine.calls.find((c) => c[0] === 'start')!.slice(2), ['detached']);
  });

  it('forwards stdin with -i', async () => {
    const engine = new FakeEngine();
    engine.script = () => ({ echoStdin: true });
    const io = fakeContext(engine);
    io.stdin.end('typed\n');
    assert.equal(await containers('run', ['-i', '--rm', 'img', 'cat'], io.ctx), 0);
    assert.equal(io.stdout.text, 'typed\n');
  });

  it('refuses -it without a terminal, like docker', async () => {
    const io = fakeContext(new FakeEngine());
    await assert.rejects(containers('run', ['-it', 'img'], io.ctx), /the input device is not a TTY/);
  });

  it('fails on a missing image with 125', async () => {
    const io = fakeContext(new FakeEngine());
    await assert.rejects(containers('run', ['missing'], io.ctx), (err: EngineError) => err.exitCode === 125);
  });
});

describe('container verbs', () => {
  it('acts on each container, names the failures and goes on', async () => {
    const engine = new FakeEngine();
    const io = fakeContext(engine);
    await containers('create', ['--name', 'a', 'img'], io.ctx);
    await containers('create', ['--name', 'b', 'img'], io.ctx);
    io.stdout.text = '';
    const code = await containers('rm', ['-f', 'a', 'nosuch', 'b'], io.ctx);
    assert.equal(code, 125);
    assert.equal(io.stdout.text, 'a\nb\n');
    assert.equal(io.stderr.text, 'strata: No such container: nosuch\n');
  });

  it('passes stop -t and kill -s', async () => {
    const engine = new FakeEngine();
    const io = fakeContext(engine);
    await containers('create', ['--name', 'a', 'img'], io.ctx);
    await containers('stop', ['-t', '1', 'a'], io.ctx);
    await containers('kill', ['-s', 'HUP', 'a'], io.ctx);
    await containers('kill', ['a'], io.ctx);
    assert.deepEqual(engine.calls.filter((c) => c[0] === 'stop' || c[0] === 'kill').map((c) => [c[0], c[2]]), [['stop', 1], ['kill', 'HUP'], ['kill', 'KILL']]);
  });

  it('start -a returns the exit code', async () => {
    const engine = new FakeEngine();
    engine.script = () => ({ stdout: ['x\n'], exitCode: 7 });
    const io = fakeContext(engine);
    await containers('create', ['--name', 'a', 'img'], io.ctx);
    io.stdout.text = '';
    assert.equal(await containers('start', ['-a', 'a'], io.ctx), 7);
    assert.equal(io.stdout.text, 'x\n');
  });
});

describe('listing and reading', () => {
  async function withTwo() {
    const engine = new FakeEngine();
    engine.script = (opts) => ({ stdout: [`${opts.name} out\n`], stderr: [`${opts.name} err\n`], exitCode: opts.name === 'done' ? 2 : 0 });
    const io = fakeContext(engine);
    await containers('run', ['--name', 'done', 'img', 'sh', '-c', 'exit 2'], io.ctx);
    await containers('run', ['-d', '--name', 'live', 'img', 'sleep', '100'], io.ctx);
    io.stdout.text = '';
    io.stderr.text = '';
    return { engine, io };
  }

  it('ps shows running containers, -a all, newest first, -q ids', async () => {
    const { io } = await withTwo();
    await ps('ps', [], io.ctx);
    let lines = io.stdout.text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1], /"sleep 100".*Up 2 seconds\s+live$/);
    io.stdout.text = '';
    await ps('ps', ['-a'], io.ctx);
    lines = io.stdout.text.trimEnd().split('\n');
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/).pop()), ['live', 'done']);
    io.stdout.text = '';
    await ps('ps', ['-aq', '--filter', 'status=exited'], io.ctx);
    assert.match(io.stdout.text, /^[0-9a-f]{12}\n$/);
    io.stdout.text = '';
    await ps('ps', ['-a', '--format', '{{.Names}}:{{.State}}'], io.ctx);
    assert.equal(io.stdout.text, 'live:running\ndone:exited\n');
  });

  it('ps rejects a bad filter and a bad template before listing', async () => {
    const { io } = await withTwo();
    await assert.rejects(ps('ps', ['--filter', 'colour=red'], io.ctx), /invalid filter 'colour'/);
    await assert.rejects(ps('ps', ['--format', '{{nosuch .X}}'], io.ctx), /function "nosuch" not defined/);
  });

  it('logs sends each stream to its own fd, with --tail and -t', async () => {
    const { io } = await withTwo();
    await logs('logs', ['done'], io.ctx);
    assert.equal(io.stdout.text, 'done out\n');
    assert.equal(io.stderr.text, 'done err\n');
    io.stdout.text = '';
    io.stderr.text = '';
    await logs('logs', ['-t', '--tail', '1', 'done'], io.ctx);
    assert.equal(io.stdout.text, '');
    assert.match(io.stderr.text, /^\d{4}-\d\d-\d\dT\S+Z done err\n$/);
  });

  it('inspect prints docker-shaped JSON and -f templates', async () => {
    const { io } = await withTwo();
    await inspect('inspect', ['-f', '{{.State.Status}} {{.State.ExitCode}} {{.Name}} {{json .Config.Cmd}}', 'done'], io.ctx);
    assert.equal(io.stdout.text, 'exited 2 /done ["sh","-c","exit 2"]\n');
    io.stdout.text = '';
    assert.equal(await inspect('inspect', ['live', 'ghost'], io.ctx), 125);
    const parsed = JSON.parse(io.stdout.text);
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0].State.Running, true);
    assert.equal(io.stderr.text, 'strata: No such object: ghost\n');
  });

  it('stats --no-stream prints docker columns', async () => {
    const { io } = await withTwo();
    await stats('stats', ['--no-stream'], io.ctx);
    const [header, row] = io.stdout.text.split('\n');
    assert.equal(header, 'CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O      BLOCK I/O   PIDS');
    assert.match(row, /^[0-9a-f]{12}   live      12\.50%    3MiB \/ 64MiB        4\.69%     1\.5kB \/ 0B   0B \/ 0B     3$/);
  });

  it('images prints one row per tag', async () => {
    const engine = new FakeEngine();
    engine.images = [{ id: 'sha256:' + 'a'.repeat(64), repoTags: ['strata/busybox:latest', 'bb:1'], repoDigests: [], created: new Date(Date.now() - 5000).toISOString(), size: 2_012_345, layers: 1 }];
    const io = fakeContext(engine);
    await images('images', [], io.ctx);
    assert.equal(
      io.stdout.text,
      ['REPOSITORY       TAG       IMAGE ID       CREATED         SIZE', 'strata/busybox   latest    aaaaaaaaaaaa   5 seconds ago   2.01MB', 'bb               1         aaaaaaaaaaaa   5 seconds ago   2.01MB', ''].join('\n'),
    );
    io.stdout.text = '';
    await images('images', ['-q'], io.ctx);
    assert.equal(io.stdout.text, 'aaaaaaaaaaaa\n');
  });
});
