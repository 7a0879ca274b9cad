// The archive and image-housekeeping verbs of the built CLI (dist/strata.js) as a user runs them:
// save/load (file, stdout, stdin), export → import → run, cp both ways and as tar streams,
// history, images filters, image prune, rmi, system df, inspect. Needs root and a build.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { releaseNetworksUnder } from '../support/test-engine.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const skip = !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;

const IMAGE = 'strata-cli-archive/busybox:latest';
let work = '';

function strataIn(root: string, args: string[], input?: Buffer | string): SpawnSyncReturns<Buffer> {
  const r = spawnSync(process.execPath, [cli, '--root', path.join(root, 'root'), '--runtime-dir', path.join(root, 'run'), ...args], { input: input ?? '', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}
const strata = (args: string[], input?: Buffer | string) => strataIn(work, args, input);
const text = (r: SpawnSyncReturns<Buffer>) => r.stdout.toString();
const explain = (r: SpawnSyncReturns<Buffer>) => `exit ${r.status}\nstdout: ${r.stdout.toString().slice(0, 2000)}\nstderr: ${r.stderr.toString()}`;
function ok(args: string[], input?: Buffer | string): string {
  const r = strata(args, input);
  assert.equal(r.status, 0, `strata ${args.join(' ')}: ${explain(r)}`);
  return text(r);
}
// every failure here is the daemon's or a check inside docker's verb (not flag parsing): docker exits 1
function fails(args: string[], pattern: RegExp, input?: Buffer | string): void {
  const r = strata(args, input);
  assert.equal(r.status, 1, `strata ${args.join(' ')}: ${explain(r)}`);
  assert.match(r.stderr.toString(), /^strata: [^\n]+\n$/, 'one line naming what was wrong');
  assert.match(r.stderr.toString(), pattern);
}
const sha = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

describe('strata archive and image verbs', { skip, timeout: 300_000 }, () => {
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-archive-'));
    const rootfs = path.join(work, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(rootfs));
    ok(['import', '-c', 'CMD ["sh"]', rootfs, IMAGE]);
  });
  after(async () => {
    if (!work) return;
    strata(['rm', '-f', 'arch-ctr']);
    await releaseNetworksUnder(work);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('save -o and save to a pipe write the same archive; load reads it from a file and from stdin', () => {
    const file = path.join(work, 'img.tar');
    ok(['save', '-o', file, IMAGE]);
    const piped = strata(['save', IMAGE]);
    assert.equal(piped.status, 0, explain(piped));
    assert.equal(sha(piped.stdout), sha(fs.readFileSync(file)), 'save is deterministic');
    assert.deepEqual(fs.readdirSync(work).filter((n) => n.includes('.tmp')), [], 'no temp file left');

    const other = fs.mkdtempSync(path.join(work, 'other-'));
    const loaded = strataIn(other, ['load', '-i', file]);
    assert.equal(text(loaded), `Loaded image: ${IMAGE}\n`, explain(loaded));
    const again = strataIn(other, ['load'], piped.stdout);
    assert.equal(text(again), `Loaded image: ${IMAGE}\n`, explain(again));
    const run = strataIn(other, ['run', '--rm', IMAGE, 'echo', 'loaded']);
    assert.equal(text(run), 'loaded\n', explain(run));
    // a bare repository name saves every tag of it, as docker does
    ok(['tag', IMAGE, 'strata-cli-archive/busybox:other']);
    const repo = strata(['save', 'strata-cli-archive/busybox']);
    const listed = strataIn(fs.mkdtempSync(path.join(work, 'repo-')), ['load'], repo.stdout);
    assert.equal(text(listed), `Loaded image: ${IMAGE}\nLoaded image: strata-cli-archive/busybox:other\n`, explain(listed));
    ok(['rmi', 'strata-cli-archive/busybox:other']);
    const oci = strata(['save', '--format', 'oci', IMAGE]);
    const fromOci = strataIn(other, ['load'], oci.stdout);
    assert.equal(text(fromOci), `Loaded image: ${IMAGE}\n`, explain(fromOci));
  });

  it('a corrupt or unreadable archive fails with one clear line and leaves the store clean', () => {
    const good = fs.readFileSync(path.join(work, 'img.tar'));
    const bad = Buffer.from(good);
    bad[bad.length - 40_000] ^= 0xff; // inside the layer
    fails(['load'], /invalid archive: layer .* hashes to sha256:/, bad);
    fails(['load'], /invalid archive/, 'not a tar at all\n'.repeat(64));
    fails(['load', '-i', path.join(work, 'missing.tar')], /open .*missing\.tar: no such file or directory/);
    fails(['save', 'no/such:image'], /No such image: no\/such:image/);
    ok(['system', 'check']);
  });

  it('export → import -c → run, and import applies docker --change instructions', () => {
    ok(['run', '-d', '--name', 'arch-ctr', IMAGE, 'sh', '-c', 'mkdir -p /app && echo made-inside > /app/file && exec sleep 300']);
    for (let i = 0; i < 50 && strata(['exec', 'arch-ctr', 'test', '-e', '/app/file']).status !== 0; i++) spawnSync('sleep', ['0.05']);
    const fsTar = path.join(work, 'fs.tar');
    ok(['export', '-o', fsTar, 'arch-ctr']);
    const changes = ['CMD ["cat", "/app/file"]', 'ENV A=1 B=two', 'WORKDIR /app', 'LABEL team=infra', 'EXPOSE 8080/tcp', 'USER 0', 'VOLUME /data', 'STOPSIGNAL SIGINT', 'ONBUILD RUN echo hi', 'ENTRYPOINT []'];
    const id = ok(['import', ...changes.flatMap((c) => ['-c', c]), '-m', 'exported', fsTar, 'arch/exported:1']).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(ok(['run', '--rm', 'arch/exported:1']), 'made-inside\n');
    const [inspected] = JSON.parse(ok(['inspect', 'arch/exported:1']));
    assert.deepEqual(Object.keys(inspected).filter((k) => ['Id', 'RepoTags', 'RepoDigests', 'Created', 'Config', 'RootFS', 'Size', 'Architecture', 'Os', 'Metadata', 'Comment'].includes(k)).length, 11);
    assert.equal(inspected.Id, id);
    assert.equal(inspected.Comment, 'exported');
    assert.deepEqual(inspected.Config.Env, ['A=1', 'B=two']);
    assert.equal(inspected.Config.WorkingDir, '/app');
    assert.deepEqual(inspected.Config.Labels, { team: 'infra' });
    assert.deepEqual(inspected.Config.ExposedPorts, { '8080/tcp': {} });
    assert.deepEqual(inspected.Config.Volumes, { '/data': {} });
    assert.equal(inspected.Config.StopSignal, 'SIGINT');
    assert.deepEqual(inspected.Config.OnBuild, ['RUN echo hi']);
    fails(['import', '-c', 'RUN echo no', fsTar], /RUN cannot be applied to an image/);
    fails(['export', 'no-such-ctr', '-o', path.join(work, 'x.tar')], /No such container: no-such-ctr/);
    assert.ok(!fs.existsSync(path.join(work, 'x.tar')));
  });

  it('cp copies both ways, as files and as tar streams, with docker placement', () => {
    const dest = fs.mkdtempSync(path.join(work, 'cp-'));
    const first = strata(['cp', 'arch-ctr:/app/file', dest]);
    assert.equal(first.status, 0, explain(first));
    assert.match(first.stderr.toString(), new RegExp(`^Successfully copied \\d+(\\.\\d+)?kB to ${dest}\\n$`));
    assert.equal(fs.readFileSync(path.join(dest, 'file'), 'utf8'), 'made-inside\n');
    ok(['cp', 'arch-ctr:/app', path.join(dest, 'appcopy')]);
    assert.equal(fs.readFileSync(path.join(dest, 'appcopy/file'), 'utf8'), 'made-inside\n');
    const stream = strata(['cp', 'arch-ctr:/app', '-']);
    assert.equal(stream.status, 0, explain(stream));
    fs.writeFileSync(path.join(dest, 'app.tar'), stream.stdout);
    const names = spawnSync('tar', ['-tf', path.join(dest, 'app.tar')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    assert.deepEqual(names.sort(), ['app/', 'app/file']);

    fs.writeFileSync(path.join(dest, 'upload'), 'from the host\n');
    ok(['cp', path.join(dest, 'upload'), 'arch-ctr:/app/']);
    assert.equal(ok(['exec', 'arch-ctr', 'cat', '/app/upload']), 'from the host\n');
    ok(['cp', '-', 'arch-ctr:/tmp'], fs.readFileSync(path.join(dest, 'app.tar')));
    assert.equal(ok(['exec', 'arch-ctr', 'cat', '/tmp/app/file']), 'made-inside\n');

    fails(['cp', 'arch-ctr:/nope', dest], /Could not find the file \/nope in container arch-ctr/);
    fails(['cp', path.join(dest, 'nope'), 'arch-ctr:/tmp'], /no such file or directory/);
    fails(['cp', 'arch-ctr:/app', path.join(dest, 'upload')], /cannot copy a directory to a file/);
    fails(['cp', 'a', 'b'], /must specify at least one container source/);
  });

  it('history, images filters, rmi rules, image prune and system df', () => {
    const history = ok(['history', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Comment}}', 'arch/exported:1']);
    assert.match(history, /^[0-9a-f]{12}\|\|exported\n$/);
    assert.match(ok(['history', 'arch/exported:1']).split('\n')[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);

    ok(['import', path.join(work, 'fs.tar')]); // untagged: dangling
    const dangling = ok(['images', '--filter', 'dangling=true', '-q']).trim().split('\n');
    assert.equal(dangling.length, 1);
    assert.equal(ok(['images', '--filter', 'reference=arch/*', '--format', '{{.Repository}}:{{.Tag}}']), 'arch/exported:1\n');
    fails(['images', '--filter', 'color=blue'], /invalid filter 'color'/);

    fails(['rmi', IMAGE], /must force/); // arch-ctr uses it
    const df = ok(['system', 'df']).split('\n');
    assert.match(df[0], /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    assert.match(df[1], /^Images\s+3\s+1\s+[\d.]+MB\s+\S+ \(\d+%\)$/);
    assert.match(df[2], /^Containers\s+1\s+1\s+/);
    assert.match(ok(['system', 'df', '-v']), /Images space usage:[\s\S]*Containers space usage:[\s\S]*arch-ctr/);

    const pruned = ok(['image', 'prune', '-f']);
    assert.match(pruned, new RegExp(`^Deleted Images:\\ndeleted: sha256:${dangling[0]}[0-9a-f]{52}\\n\\nTotal reclaimed space: \\d+(\\.\\d+)?k?B\\n$`));
    assert.equal(ok(['images', '--filter', 'dangling=true', '-q']), '');
    assert.equal(ok(['image', 'prune'], 'n\n').includes('Deleted'), false, 'answering no keeps everything');

    ok(['rm', '-f', 'arch-ctr']);
    const all = ok(['image', 'prune', '-a', '-f']);
    assert.match(all, /untagged: arch\/exported:1/);
    assert.match(all, new RegExp(`untagged: ${IMAGE.replace(/[/.]/g, '\\$&')}`));
    assert.equal(ok(['images', '-q']), '');
    assert.match(ok(['system', 'df']).split('\n')[1], /^Images\s+0\s+0\s+0B\s+0B$/);
    ok(['system', 'check']);
  });
});
