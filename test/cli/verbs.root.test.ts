// The verbs' main functions called in-process on a real engine with real containers: exit
// codes, what goes to stdout and stderr, and what happened to the containers.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EngineError } from '../../source/engine/api.js';
import { main as containers } from '../../source/cli/containers.js';
import { main as images } from '../../source/cli/images.js';
import { main as inspect } from '../../source/cli/inspect.js';
import { main as logs } from '../../source/cli/logs.js';
import { main as ps } from '../../source/cli/ps.js';
import { main as stats } from '../../source/cli/stats.js';
import { IMAGE, collectLogs, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { verbIo } from './verb-io.js';

describe('the verbs on a real engine', () => {
  let t: TestEngine;
  before(async () => {
    t = await makeTestEngine();
  });
  afterEach(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
  });
  after(() => t.cleanup());
  const names = async () => (await t.engine.listContainers(true)).map((c) => c.name).sort();

  describe('run', () => {
    it('streams stdout and stderr apart, returns the exit code and removes with --rm', async () => {
      const io = verbIo(t.engine);
      const code = await containers('run', ['--rm', '--name', 'echo', IMAGE, 'sh', '-c', 'echo hi; echo oops >&2; exit 3'], io.ctx);
      assert.equal(code, 3);
      assert.equal(io.stdout.text, 'hi\n');
      assert.equal(io.stderr.text, 'oops\n');
      assert.deepEqual(await names(), []);
    });

    it('lets a start failure through with its exit code, still removing with --rm', async () => {
      const io = verbIo(t.engine);
      await assert.rejects(containers('run', ['--rm', IMAGE, 'nope'], io.ctx), (err: EngineError) => err.exitCode === 127);
      assert.deepEqual(await names(), []);
    });

    it('keeps the container without --rm', async () => {
      const io = verbIo(t.engine);
      assert.equal(await containers('run', ['--name', 'kept', IMAGE, 'true'], io.ctx), 0);
      assert.deepEqual(await names(), ['kept']);
    });

    it('prints the full id with -d and does not attach', async () => {
      const io = verbIo(t.engine);
      assert.equal(await containers('run', ['-d', IMAGE, 'sh', '-c', 'echo not-attached; sleep 30'], io.ctx), 0);
      assert.match(io.stdout.text, /^[0-9a-f]{64}\n$/);
      const record = await t.engine.inspectContainer(io.stdout.text.trim());
      assert.equal(record.state.running, true);
      assert.ok(!io.stdout.text.includes('not-attached'));
    });

    it('forwards stdin with -i', async () => {
      const io = verbIo(t.engine);
      io.stdin.end('typed\n');
      assert.equal(await containers('run', ['-i', '--rm', IMAGE, 'cat'], io.ctx), 0);
      assert.equal(io.stdout.text, 'typed\n');
    });

    it('refuses -it without a terminal, like docker', async () => {
      await assert.rejects(containers('run', ['-it', IMAGE], verbIo(t.engine).ctx), /the input device is not a TTY/);
    });

    it('fails on a missing image with 125', async () => {
      await assert.rejects(containers('run', ['missing'], verbIo(t.engine).ctx), (err: EngineError) => err.exitCode === 125);
    });
  });

  describe('container verbs', () => {
    it('acts on each container, names the failures and goes on', async () => {
      const io = verbIo(t.engine);
      await containers('create', ['--name', 'a', IMAGE], io.ctx);
      await containers('run', ['-d', '--name', 'b', IMAGE, 'sleep', '30'], io.ctx);
      io.clear();
      const code = await containers('rm', ['-f', 'a', 'nosuch', 'b'], io.ctx);
      assert.equal(code, 0, "docker's rm -f names a missing container and still succeeds");
      assert.equal(io.stdout.text, 'a\nb\n');
      assert.equal(io.stderr.text, 'strata: No such container: nosuch\n');
      assert.deepEqual(await names(), []);
    });

    it('passes kill -s, stop -t, and kill sends KILL by default', async () => {
      const io = verbIo(t.engine);
      // Prints on HUP and ignores TERM: only the stop timeout's KILL ends it.
      const script = 'trap "echo got HUP" HUP; trap "" TERM; while :; do sleep 0.1; done';
      await containers('run', ['-d', '--name', 'a', IMAGE, 'sh', '-c', script], io.ctx);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await containers('kill', ['-s', 'HUP', 'a'], io.ctx);
      for (let i = 0; i < 50 && !(await collectLogs(t.engine, 'a')).stdout.includes('got HUP'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal((await collectLogs(t.engine, 'a')).stdout, 'got HUP\n');
      const started = Date.now();
      await containers('stop', ['-t', '1', 'a'], io.ctx);
      const took = Date.now() - started;
      assert.ok(took >= 900 && took < 5000, `stop -t 1 took ${took} ms`);
      assert.equal((await t.engine.inspectContainer('a')).state.exitCode, 137);
      await containers('start', ['a'], io.ctx);
      await containers('kill', ['a'], io.ctx);
      assert.equal(await t.engine.waitContainer('a'), 137);
    });

    it('start -a returns the exit code', async () => {
      const io = verbIo(t.engine);
      await containers('create', ['--name', 'a', IMAGE, 'sh', '-c', 'echo x; exit 7'], io.ctx);
      io.clear();
      assert.equal(await containers('start', ['-a', 'a'], io.ctx), 7);
      assert.equal(io.stdout.text, 'x\n');
    });
  });

  describe('listing and reading', () => {
    async function withTwo() {
      const io = verbIo(t.engine);
      await containers('run', ['--name', 'done', IMAGE, 'sh', '-c', 'echo done out; echo done err >&2; exit 2'], io.ctx);
      await containers('run', ['-d', '--name', 'live', IMAGE, 'sleep', '100'], io.ctx);
      io.clear();
      return io;
    }

    it('ps shows running containers, -a all, newest first, -q ids', async () => {
      const io = await withTwo();
      await ps('ps', [], io.ctx);
      let lines = io.stdout.text.trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[1], /"sleep 100".*Up .*\s+live$/);
      io.clear();
      await ps('ps', ['-a'], io.ctx);
      lines = io.stdout.text.trimEnd().split('\n');
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/).pop()), ['live', 'done']);
      io.clear();
      await ps('ps', ['-aq', '--filter', 'status=exited'], io.ctx);
      assert.equal(io.stdout.text, `${(await t.engine.inspectContainer('done')).id.slice(0, 12)}\n`);
      io.clear();
      await ps('ps', ['-a', '--format', '{{.Names}}:{{.State}}'], io.ctx);
      assert.equal(io.stdout.text, 'live:running\ndone:exited\n');
    });

    it('ps rejects a bad filter and a bad template before listing', async () => {
      const io = verbIo(t.engine);
      await assert.rejects(ps('ps', ['--filter', 'colour=red'], io.ctx), /invalid filter 'colour'/);
      await assert.rejects(ps('ps', ['--format', '{{nosuch .X}}'], io.ctx), /function "nosuch" not defined/);
    });

    it('logs sends each stream to its own fd, with --tail and -t', async () => {
      const io = await withTwo();
      await logs('logs', ['done'], io.ctx);
      assert.equal(io.stdout.text, 'done out\n');
      assert.equal(io.stderr.text, 'done err\n');
      io.clear();
      await logs('logs', ['-t', '--tail', '1', 'done'], io.ctx);
      assert.equal(io.stdout.text, '');
      assert.match(io.stderr.text, /^\d{4}-\d\d-\d\dT\S+Z done err\n$/);
    });

    it('inspect prints docker-shaped JSON and -f templates', async () => {
      const io = await withTwo();
      await inspect('inspect', ['-f', '{{.State.Status}} {{.State.ExitCode}} {{.Name}} {{json .Config.Cmd}}', 'done'], io.ctx);
      assert.equal(io.stdout.text, 'exited 2 /done ["sh","-c","echo done out; echo done err >&2; exit 2"]\n');
      io.clear();
      assert.equal(await inspect('inspect', ['live', 'ghost'], io.ctx), 1);
      const parsed = JSON.parse(io.stdout.text);
      assert.equal(parsed.length, 1);
      assert.equal(parsed[0].State.Running, true);
      assert.equal(io.stderr.text, 'strata: No such object: ghost\n');
    });

    it('stats --no-stream prints docker columns', async () => {
      const io = await withTwo();
      await stats('stats', ['--no-stream'], io.ctx);
      const [header, row, end] = io.stdout.text.split('\n');
      assert.match(header, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
      const id = (await t.engine.inspectContainer('live')).id.slice(0, 12);
      assert.match(row, new RegExp(`^${id}   live      \\d+\\.\\d\\d%\\s+\\S+ / \\S+\\s+\\d+\\.\\d\\d%\\s+\\S+ / \\S+\\s+\\S+ / \\S+\\s+1$`));
      assert.equal(end, '');
    });

    it('images prints one row per tag', async () => {
      await t.engine.tagImage(IMAGE, 'bb:1');
      const [image] = await t.engine.listImages();
      const io = verbIo(t.engine);
      await images('images', [], io.ctx);
      const lines = io.stdout.text.trimEnd().split('\n');
      assert.match(lines[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
      const short = image.id.slice(7, 19);
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3)).sort(), [['bb', '1', short], ['test/busybox', 'latest', short]]);
      io.clear();
      await images('images', ['-q'], io.ctx);
      assert.equal(io.stdout.text, `${short}\n`);
      await t.engine.removeImage('bb:1');
    });
  });
});
