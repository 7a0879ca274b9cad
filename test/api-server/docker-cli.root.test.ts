// The real docker CLI (28, client only) against strata's Docker API service: what a docker user
// types, with docker's output and exit codes, because the API's JSON is right.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IMAGE } from '../support/test-engine.js';
import { until } from '../support/until.js';
import { docker, startService, type TestService } from './service.js';

const skip = spawnable('docker') ? false : 'the docker CLI is not on PATH';

function spawnable(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, cmd)));
}

describe('the docker CLI against strata system service', { skip }, () => {
  let svc: TestService;
  const d = (...args: string[]) => docker(svc.socket, args);
  before(async () => { svc = await startService(); });
  after(async () => { await svc.stop(); });

  it('docker version negotiates an API version with the service', async () => {
    const r = await d('version', '--format', '{{.Server.APIVersion}} {{.Client.APIVersion}} {{.Server.Os}}');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\.51 1\.\d+ linux\n$/);
  });

  it('docker run --rm prints the output and passes the exit code; the container is gone', async () => {
    const hi = await d('run', '--rm', IMAGE, 'echo', 'hi');
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, 'hi\n');
    const failing = await d('run', '--rm', '-e', 'X=7', IMAGE, 'sh', '-c', 'echo to-err >&2; exit $X');
    assert.equal(failing.code, 7);
    assert.equal(failing.stderr, 'to-err\n');
    const stdin = await docker(svc.socket, ['run', '--rm', '-i', IMAGE, 'sh', '-c', 'tr a-z A-Z'], { input: 'piped\n' });
    assert.equal(stdin.stdout, 'PIPED\n');
    await until('the --rm containers removed', 10_000, async () => ((await d('ps', '-aq')).stdout === '' ? true : undefined));
  });

  it('docker run -d, ps, logs -f while lines arrive, exec, top, inspect, stop, rm', async () => {
    const run = await d('run', '-d', '--name', 'ticker', '-p', '127.0.0.1::80', '-v', 'tickdata:/data', '--restart', 'on-failure:2', IMAGE, 'sh', '-c', 'trap "exit 0" TERM; i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done');
    assert.equal(run.code, 0, run.stderr);
    const id = run.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const ps = await d('ps', '--format', '{{.Names}}|{{.Status}}|{{.Ports}}');
    assert.match(ps.stdout, /^ticker\|Up [^|]+\|127\.0\.0\.1:\d+->80\/tcp\n$/);
    // logs -f: lines that arrive after the client started reading reach it
    const follower = spawn('docker', ['logs', '-f', 'ticker'], { env: { ...process.env, DOCKER_HOST: `unix://${svc.socket}` } });
    let followed = '';
    follower.stdout.on('data', (c: Buffer) => { followed += c.toString(); });
    await until('tick 12 through logs -f', 30_000, async () => (followed.includes('tick 12\n') ? true : undefined));
    follower.kill();
    const tail = await d('logs', '--tail', '1', '-t', 'ticker');
    assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT\S+Z tick \d+\n$/);
    const exec = await d('exec', '-e', 'Y=2', 'ticker', 'sh', '-c', 'echo $Y; ls /data; exit 5');
    assert.equal(exec.code, 5);
    assert.equal(exec.stdout, '2\n');
    const top = await d('top', 'ticker');
    assert.match(top.stdout, /PID/);
    const inspect = await d('inspect', '-f', '{{.State.Status}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{(index .Mounts 0).Name}}', 'ticker');
    assert.equal(inspect.stdout, 'running on-failure 2 tickdata\n');
    assert.equal((await d('stop', 'ticker')).stdout, 'ticker\n');
    assert.match((await d('ps', '-a', '--format', '{{.Status}}')).stdout, /^Exited \(0\)/);
    assert.equal((await d('wait', 'ticker')).stdout, '0\n');
    assert.equal((await d('rm', 'ticker')).stdout, 'ticker\n');
    const gone = await d('logs', 'ticker');
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, 'Error response from daemon: No such container: ticker\n');
    assert.equal((await d('volume', 'rm', 'tickdata')).code, 0);
  });

  it('docker run -it through a pty: a terminal inside, the exit code out', async () => {
    const script = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('script', ['-qec', `docker run -it --rm ${IMAGE} sh -c 'tty; echo in-tty; exit 4'`, '/dev/null'], { env: { ...process.env, DOCKER_HOST: `unix://${svc.socket}` } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      // script(1) with no terminal of its own echoes a NUL as ^@ at moments of its choosing
      child.on('close', (code) => resolve({ code: code ?? -1, out: out.replace(/\^@/g, '') }));
      child.stdin.end();
    });
    assert.equal(script.code, 4, script.out);
    assert.match(script.out, /\/dev\/pts\/\d+\r\n/);
    assert.match(script.out, /in-tty\r\n/);
  });

  it('docker exec -it through a pty', async () => {
    assert.equal((await d('run', '-d', '--name', 'shell', IMAGE, 'sleep', '60')).code, 0);
    const script = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('script', ['-qec', 'docker exec -it shell sh -c "tty; echo in-exec; exit 6"', '/dev/null'], { env: { ...process.env, DOCKER_HOST: `unix://${svc.socket}` } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      // script(1) with no terminal of its own echoes a NUL as ^@ at moments of its choosing
      child.on('close', (code) => resolve({ code: code ?? -1, out: out.replace(/\^@/g, '') }));
      child.stdin.end();
    });
    assert.equal(script.code, 6, script.out);
    assert.match(script.out, /\/dev\/pts\/\d+\r\nin-exec\r\n/);
    assert.equal((await d('rm', '-f', 'shell')).code, 0);
  });

  it('docker images, tag, rmi, history, save, load, import, network and volume verbs', async () => {
    assert.equal((await d('tag', IMAGE, 'other/bb:2')).code, 0);
    const images = await d('images', '--format', '{{.Repository}}:{{.Tag}}');
    assert.deepEqual(images.stdout.trim().split('\n').sort(), ['other/bb:2', IMAGE].sort());
    assert.equal((await d('history', '-q', 'other/bb:2')).code, 0);
    const archive = path.join(svc.test.base, 'bb.tar');
    assert.equal((await d('save', '-o', archive, 'other/bb:2')).code, 0);
    assert.equal((await d('rmi', 'other/bb:2')).stdout, 'Untagged: other/bb:2\n');
    const load = await d('load', '-i', archive);
    assert.equal(load.stdout, 'Loaded image: other/bb:2\n');
    const rootfs = path.join(svc.test.base, 'rootfs.tar');
    assert.equal((await d('create', '--name', 'exp', IMAGE)).code, 0);
    assert.equal((await d('export', '-o', rootfs, 'exp')).code, 0);
    const imported = await d('import', '-c', 'CMD ["echo", "imported"]', rootfs, 'imp/bb:1');
    assert.match(imported.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await d('run', '--rm', 'imp/bb:1')).stdout, 'imported\n');
    assert.equal((await d('rm', 'exp')).code, 0);
    await d('rmi', 'imp/bb:1', 'other/bb:2');

    assert.equal((await d('network', 'create', 'clinet')).code, 0);
    assert.match((await d('network', 'ls', '--format', '{{.Name}}')).stdout, /clinet/);
    const onNet = await d('run', '--rm', '--network', 'clinet', IMAGE, 'sh', '-c', 'ip -4 -o addr show eth0');
    assert.match(onNet.stdout, /inet 10\.\d+\.\d+\.\d+/);
    assert.equal((await d('network', 'rm', 'clinet')).stdout, 'clinet\n');
    assert.equal((await d('volume', 'create', 'clivol')).stdout, 'clivol\n');
    assert.match((await d('volume', 'inspect', '-f', '{{.Mountpoint}}', 'clivol')).stdout, /clivol\/_data\n$/);
    assert.equal((await d('volume', 'rm', 'clivol')).stdout, 'clivol\n');
    assert.equal((await d('system', 'df')).code, 0);
  });

  it('docker events --since/--until shows what was done, filtered', async () => {
    const since = new Date(Date.now() - 120_000).toISOString();
    await new Promise((r) => setTimeout(r, 1000));
    const r = await d('events', '--since', since, '--until', new Date(Date.now()).toISOString(), '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}}');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /create clivol\n/);
    assert.match(r.stdout, /destroy clivol\n/);
  });
});
