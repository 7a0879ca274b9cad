// The real docker CLI against the service, the third group: build of a two-stage Dockerfile
// (build args, target, labels, -q), commit, cp both ways, diff, stats.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IMAGE } from '../support/test-engine.js';
import { docker, startService, type TestService } from './service.js';

const skip = (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, 'docker'))) ? false : 'the docker CLI is not on PATH';

describe('docker build, commit, cp, diff and stats against strata system service', { skip }, () => {
  let svc: TestService;
  const d = (...args: string[]) => docker(svc.socket, args);
  before(async () => { svc = await startService(); });
  after(async () => { await svc.stop(); });

  it('docker build of a two-stage Dockerfile: build args, labels, target, -q', async () => {
    const ctx = path.join(svc.test.base, 'ctx');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${IMAGE} AS first\nARG MSG=none\nRUN echo "$MSG" > /msg\nFROM ${IMAGE}\nCOPY --from=first /msg /msg\nCOPY hello.txt /\nCMD ["cat", "/msg", "/hello.txt"]\n`);
    fs.writeFileSync(path.join(ctx, 'hello.txt'), 'from the context\n');
    const build = await docker(svc.socket, ['build', '--build-arg', 'MSG=built', '--label', 'team=api', '-t', 'two/stage:1', ctx]);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stdout, /Step 1\/7 : FROM test\/busybox:latest AS first\n/);
    assert.match(build.stdout, / ---> Running in [0-9a-f]{12}\n/);
    assert.match(build.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged two\/stage:1\n$/);
    assert.equal((await d('run', '--rm', 'two/stage:1')).stdout, 'built\nfrom the context\n');
    assert.equal((await d('image', 'inspect', '-f', '{{.Config.Labels.team}}', 'two/stage:1')).stdout, 'api\n');
    const quiet = await docker(svc.socket, ['build', '-q', '--target', 'first', ctx]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const broken = path.join(svc.test.base, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'Dockerfile'), `FROM ${IMAGE}\nRUN exit 3\n`);
    const failed = await docker(svc.socket, ['build', broken]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /returned a non-zero code: 3/);
  });

  it('docker cp both ways, diff, commit', async () => {
    assert.equal((await d('run', '-d', '--name', 'files', IMAGE, 'sh', '-c', 'mkdir -p /d/sub && echo inside > /d/sub/f && sleep 60')).code, 0);
    const out = path.join(svc.test.base, 'out');
    fs.mkdirSync(out);
    for (let i = 0; i < 50 && (await d('exec', 'files', 'test', '-f', '/d/sub/f')).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await d('cp', 'files:/d', out)).code, 0);
    assert.equal(fs.readFileSync(path.join(out, 'd/sub/f'), 'utf8'), 'inside\n');
    assert.equal((await d('cp', 'files:/d/sub/f', path.join(out, 'single'))).code, 0);
    assert.equal(fs.readFileSync(path.join(out, 'single'), 'utf8'), 'inside\n');
    fs.writeFileSync(path.join(out, 'up.txt'), 'uploaded\n');
    assert.equal((await d('cp', path.join(out, 'up.txt'), 'files:/d/sub/')).code, 0);
    assert.equal((await d('exec', 'files', 'cat', '/d/sub/up.txt')).stdout, 'uploaded\n');
    const missing = await d('cp', 'files:/nope', out);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Could not find the file \/nope in container files/);
    const diff = await d('diff', 'files');
    assert.match(diff.stdout, /^A \/d\/sub\/up\.txt$/m);
    const commit = await d('commit', '-c', 'ENV Z=1', '-m', 'with files', 'files', 'committed:1');
    assert.match(commit.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await d('run', '--rm', 'committed:1', 'sh', '-c', 'echo $Z; cat /d/sub/up.txt')).stdout, '1\nuploaded\n');
  });

  it('docker stats --no-stream: a row per container, with CPU and memory figures', async () => {
    const stats = await d('stats', '--no-stream', '--format', '{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}');
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /^files\|\d+\.\d\d%\|[\d.]+[KMG]?i?B \/ [\d.]+[KMG]iB\|\d+\n$/);
    assert.equal((await d('rm', '-f', 'files')).code, 0);
  });
});
