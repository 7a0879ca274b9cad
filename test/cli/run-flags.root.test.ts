// run/create's flags of docker parity that the CLI itself handles: --cidfile, -a, --pull,
// --platform, --sig-proxy, on a real engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main as containers } from '../../source/cli/containers.js';
import { PtyScreen } from '../tui/pty-screen.js';
import { startRegistry } from '../engine/registry/registry-server.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { verbIo } from './verb-io.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/strata.js');

describe('run/create flags handled by the CLI', { timeout: 60_000 }, () => {
  let t: TestEngine;
  let dir: string;
  before(async () => {
    t = await makeTestEngine();
    dir = fs.mkdtempSync(`${os.tmpdir()}/strata-cid-`);
  });
  afterEach(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.cleanup();
  });

  it('--cidfile: the id written at create, an existing file refused', async () => {
    const file = `${dir}/cid`;
    const io = verbIo(t.engine);
    assert.equal(await containers('create', ['--cidfile', file, IMAGE, 'true'], io.ctx), 0);
    assert.equal(fs.readFileSync(file, 'utf8'), io.stdout.text.trim());
    assert.equal((await t.engine.inspectContainer(io.stdout.text.trim())).hostConfig.containerIdFile, file);
    await assert.rejects(containers('run', ['--cidfile', file, IMAGE, 'true'], verbIo(t.engine).ctx), /Container ID file found, make sure the other container isn't running or delete/);
    assert.equal((await t.engine.listContainers(true)).length, 1, 'nothing created when the file exists');
  });

  it('-a stdout: only stdout reaches us', async () => {
    const io = verbIo(t.engine);
    assert.equal(await containers('run', ['-a', 'stdout', '--rm', IMAGE, 'sh', '-c', 'echo out; echo err >&2'], io.ctx), 0);
    assert.equal(io.stdout.text, 'out\n');
    assert.equal(io.stderr.text, '');
  });

  it('--pull never keeps to local images; --platform other than the host is refused', async () => {
    await assert.rejects(containers('run', ['--pull', 'never', 'no/such:image'], verbIo(t.engine).ctx), /No such image: no\/such:image/);
    const other = os.arch() === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    await assert.rejects(containers('run', ['--platform', other, IMAGE, 'true'], verbIo(t.engine).ctx), /cannot run on this host/);
    assert.equal(await containers('run', ['--rm', '--platform', `linux/${os.arch() === 'arm64' ? 'arm64' : 'amd64'}`, IMAGE, 'true'], verbIo(t.engine).ctx), 0);
  });

  it('--sig-proxy=false: a signal to us is not forwarded', async () => {
    const io = verbIo(t.engine);
    const run = containers('run', ['--sig-proxy=false', '--name', 'noproxy', IMAGE, 'sh', '-c', "trap 'echo got; exit 5' USR1; sleep 2 & wait; echo done"], io.ctx);
    await new Promise((r) => setTimeout(r, 700));
    const ignore = () => undefined;
    process.on('SIGUSR1', ignore); // with a proxy the session's own handler would forward it
    process.kill(process.pid, 'SIGUSR1');
    assert.equal(await run, 0);
    process.off('SIGUSR1', ignore);
    assert.equal(io.stdout.text, 'done\n');
  });

  it('--detach-keys: that sequence detaches (and ctrl-p ctrl-q no longer does)', async () => {
    const screen = new PtyScreen(process.execPath, [cli, '--root', t.root, '--runtime-dir', t.runtimeDir, 'run', '-it', '--name', 'keys', '--detach-keys', 'ctrl-x,x', IMAGE, 'sh'], { cols: 100, rows: 30 });
    screen.term.onData((reply) => screen.write(reply));
    await screen.waitFor(/^\/ # ?$/m);
    screen.write('\x10\x11echo still-here\r');
    await screen.waitFor(/^still-here$/m);
    screen.write('\x18x');
    assert.equal(await screen.exited, 0);
    assert.equal((await t.engine.inspectContainer('keys')).state.running, true, 'detached, still running');
  });

  it('pulls a missing image by default (docker\'s --pull missing, its line first); never refuses; always pulls even so; build --pull too', async () => {
    const registry = await startRegistry();
    const context = fs.mkdtempSync(`${os.tmpdir()}/strata-pull-build-`);
    try {
      const ref = `${registry.host}/flags/app`; // no tag: docker's line names it :latest
      // a layer of its own on top of the test image's, so the pull downloads one and finds one
      fs.writeFileSync(`${context}/Dockerfile`, `FROM ${IMAGE}\nRUN echo ${process.pid}-${Date.now()} > /pulled\n`);
      await t.engine.build({ context, tags: [ref] });
      const pushed = await t.engine.pushImage(ref);
      await t.engine.removeImage(ref);
      const never = verbIo(t.engine);
      await assert.rejects(containers('run', ['--rm', '--pull', 'never', ref, 'true'], never.ctx), (err: Error & { exitCode?: number }) => err.message === `No such image: ${ref}` && err.exitCode === 125);
      const io = verbIo(t.engine);
      assert.equal(await containers('run', ['--rm', ref, 'echo', 'pulled'], io.ctx), 0);
      assert.equal(io.stdout.text, 'pulled\n');
      const layers = (await t.engine.inspectImage(ref)).diffIds.length;
      const lines = io.stderr.text.trimEnd().split('\n');
      // docker's lines, on stderr: the miss, the pull's start, each layer's states, its end
      assert.equal(lines[0], `Unable to find image '${ref}:latest' locally`);
      assert.equal(lines[1], 'latest: Pulling from flags/app');
      const lastState = new Map(lines.slice(2, -2).map((l) => [l.slice(0, 12), l.slice(14)]));
      assert.equal(lastState.size, layers, io.stderr.text);
      assert.ok([...lastState.values()].every((s) => s === 'Pull complete' || s === 'Already exists'), io.stderr.text);
      assert.ok([...lastState.values()].includes('Pull complete'), io.stderr.text);
      assert.equal(lines.at(-2), `Digest: ${pushed.digest}`);
      assert.equal(lines.at(-1), `Status: Downloaded newer image for ${ref}:latest`);
      assert.ok(lines.slice(2, -2).every((l) => /^[0-9a-f]{12}: [A-Z]/.test(l)), io.stderr.text);
      await t.engine.removeImage(ref);
      const missing = verbIo(t.engine);
      assert.equal(await containers('create', ['--pull', 'missing', ref, 'true'], missing.ctx), 0);
      assert.match(missing.stderr.text, /^Unable to find image/);

      fs.writeFileSync(`${context}/Dockerfile`, `FROM ${ref}\nLABEL built=yes\n`);
      const build = async (args: string[]) => (await import('../../source/cli/build.js')).main('build', [...args, '-q', context], verbIo(t.engine).ctx);
      assert.equal(await build(['--pull', '-t', 'flags/built:1']), 0, 'the registry answers: --pull pulls');
      await registry.stop();
      await assert.rejects(containers('create', ['--pull', 'always', ref, 'true'], verbIo(t.engine).ctx), 'always pulls: the registry is down');
      await assert.rejects(build(['--pull', '-t', 'flags/built:2']), 'build --pull pulls: the registry is down');
      assert.equal(await build(['-t', 'flags/built:3']), 0, 'without --pull the local base is used');
      const present = verbIo(t.engine);
      assert.equal(await containers('run', ['--rm', ref, 'true'], present.ctx), 0);
      assert.equal(present.stderr.text, '', 'present: no pull');
    } finally {
      await registry.stop();
      fs.rmSync(context, { recursive: true, force: true });
    }
  });
});
