// cp and export on real containers: docker's placement rules, running and stopped containers,
// and containers that try to lead a copy out of their root with symlinks (absolute, relative,
// swapped in while the copy runs). Needs root.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { tarStream } from '../../../source/engine/layers/tar-stream.js';
import { execCollect, IMAGE, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';

async function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function tarNames(data: Buffer, dir: string): string[] {
  const file = path.join(dir, `list-${Date.now()}.tar`);
  fs.writeFileSync(file, data);
  const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  fs.rmSync(file);
  return names;
}

/** A tar with a symlink to / followed by a file written "through" it. */
function hostileTar(link: string, file: string): Readable {
  const pack = tarStream().pack();
  pack.entry({ name: link, type: 'symlink', linkname: '/' });
  pack.entry({ name: `${link}/${file}`, type: 'file', mode: 0o644 }, 'pwned\n');
  pack.finalize();
  return Readable.from(pack as unknown as AsyncIterable<Buffer>);
}

describe('cp and export', { timeout: 300_000 }, () => {
  let t: TestEngine;
  let host: string; // a host directory the container must never reach
  let out: string; // where copies to the host land
  let ctr: string;

  const cat = async (file: string) => (await execCollect(t.engine, ctr, ['cat', file])).stdout;

  before(async () => {
    t = await makeTestEngine();
    host = fs.mkdtempSync(path.join(t.base, 'host-secret-'));
    fs.writeFileSync(path.join(host, 'secret'), 'HOST SECRET\n');
    out = fs.mkdtempSync(path.join(t.base, 'out-'));
    const setup = [
      'mkdir -p /data/sub', 'echo one > /data/a', 'echo two > /data/sub/b', 'ln -s a /data/rel',
      'ln -s / /evil', `ln -s ${host} /leak`, 'ln -s ../../../../.. /up',
      // the CVE-2018-15664 race: /swap flips between a directory and a symlink to the host dir
      `mkdir /swap.dir && echo container > /swap.dir/secret && (while true; do ln -sfn ${host} /swap.tmp; mv -T /swap.tmp /swap; ln -sfn /swap.dir /swap.tmp; mv -T /swap.tmp /swap; done) &`,
      'touch /ready', 'exec sleep 300',
    ].join('\n');
    ctr = (await t.engine.runContainer({ image: IMAGE, name: 'cp-target', cmd: ['sh', '-c', setup] })).record.id;
    for (let i = 0; i < 100 && (await execCollect(t.engine, ctr, ['test', '-e', '/ready'])).exitCode !== 0; i++) await sleep(20);
  });
  after(async () => {
    await t?.cleanup();
  });

  it('copies files and directories out of a running container with docker placement rules', async () => {
    await t.engine.copyFromContainer(ctr, '/data/a', { path: path.join(out, 'renamed') });
    assert.equal(fs.readFileSync(path.join(out, 'renamed'), 'utf8'), 'one\n');
    fs.mkdirSync(path.join(out, 'into'));
    await t.engine.copyFromContainer(ctr, '/data/a', { path: path.join(out, 'into') });
    assert.equal(fs.readFileSync(path.join(out, 'into/a'), 'utf8'), 'one\n');
    await t.engine.copyFromContainer(ctr, '/data', { path: path.join(out, 'newdir') });
    assert.equal(fs.readFileSync(path.join(out, 'newdir/sub/b'), 'utf8'), 'two\n');
    assert.equal(fs.readlinkSync(path.join(out, 'newdir/rel')), 'a');
    await t.engine.copyFromContainer(ctr, '/data', { path: path.join(out, 'into') });
    assert.equal(fs.readFileSync(path.join(out, 'into/data/sub/b'), 'utf8'), 'two\n');
    fs.mkdirSync(path.join(out, 'contents'));
    await t.engine.copyFromContainer(ctr, '/data/.', { path: path.join(out, 'contents') });
    assert.deepEqual(fs.readdirSync(path.join(out, 'contents')).sort(), ['a', 'rel', 'sub']);
    // a symlink is copied as a link unless -L
    await t.engine.copyFromContainer(ctr, '/data/rel', { path: path.join(out, 'link-as-is') });
    assert.equal(fs.readlinkSync(path.join(out, 'link-as-is')), 'a');
    await t.engine.copyFromContainer(ctr, '/data/rel', { path: path.join(out, 'link-followed') }, { followLink: true });
    assert.equal(fs.readFileSync(path.join(out, 'link-followed'), 'utf8'), 'one\n');

    await assert.rejects(t.engine.copyFromContainer(ctr, '/data/a/', { path: out }), /not a directory/);
    await assert.rejects(t.engine.copyFromContainer(ctr, '/nope', { path: out }), /Could not find the file \/nope in container cp-target/);
    await assert.rejects(t.engine.copyFromContainer(ctr, '/data', { path: path.join(out, 'renamed') }), /cannot copy a directory to a file/);
    await assert.rejects(t.engine.copyFromContainer(ctr, '/data/a', { path: path.join(out, 'missing/x') }), /no such directory/);

    const stream = new PassThrough();
    const [, data] = await Promise.all([t.engine.copyFromContainer(ctr, '/data', { stream }).then(() => stream.end()), collect(stream)]);
    assert.deepEqual(tarNames(data, out).sort(), ['data/', 'data/a', 'data/rel', 'data/sub/', 'data/sub/b']);
  });

  it('copies into a running container, owned by root unless -a', async () => {
    const src = path.join(out, 'upload');
    fs.mkdirSync(path.join(src, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(src, 'deep/file'), 'uploaded\n');
    fs.chownSync(path.join(src, 'deep/file'), 1234, 1234);
    await t.engine.copyToContainer(ctr, '/data', { path: src });
    assert.equal(await cat('/data/upload/deep/file'), 'uploaded\n');
    assert.equal((await execCollect(t.engine, ctr, ['stat', '-c', '%u:%g', '/data/upload/deep/file'])).stdout, '0:0\n');
    await t.engine.copyToContainer(ctr, '/kept', { path: src }, { archive: true });
    assert.equal((await execCollect(t.engine, ctr, ['stat', '-c', '%u:%g', '/kept/deep/file'])).stdout, '1234:1234\n');
    await t.engine.copyToContainer(ctr, '/data/a', { path: path.join(src, 'deep/file') }); // overwrite a file
    assert.equal(await cat('/data/a'), 'uploaded\n');
    await assert.rejects(t.engine.copyToContainer(ctr, '/data/a', { path: src }), /cannot copy a directory to a file/);
    // a conflict half-way through a big copy fails cleanly instead of stalling the two halves
    const clash = path.join(out, 'clash');
    fs.mkdirSync(clash);
    fs.writeFileSync(path.join(clash, 'a'), 'file here, directory there\n');
    fs.writeFileSync(path.join(clash, 'b'), Buffer.alloc(8 << 20, 1));
    await execCollect(t.engine, ctr, ['mkdir', '-p', '/clash/a']);
    await assert.rejects(t.engine.copyToContainer(ctr, '/', { path: clash }), /cannot overwrite directory "\/clash\/a" with non-directory/);
  });

  it('never follows a symlink out of the container root, even one swapped in mid-copy', async () => {
    await assert.rejects(t.engine.copyFromContainer(ctr, '/leak/secret', { path: path.join(out, 'stolen') }), /Could not find the file/);
    await t.engine.copyFromContainer(ctr, '/evil/data/sub/b', { path: path.join(out, 'via-evil') });
    assert.equal(fs.readFileSync(path.join(out, 'via-evil'), 'utf8'), 'two\n', '/evil -> / is the container root');
    await t.engine.copyFromContainer(ctr, '/up/data/sub/b', { path: path.join(out, 'via-up') });
    assert.equal(fs.readFileSync(path.join(out, 'via-up'), 'utf8'), 'two\n', '.. stops at the container root');

    // into the container through /leak -> <host dir>: lands in the container's own <host dir>
    await execCollect(t.engine, ctr, ['mkdir', '-p', host]);
    await t.engine.copyToContainer(ctr, '/leak/', { path: path.join(out, 'renamed') });
    assert.equal(await cat(`${host}/renamed`), 'one\n');
    assert.deepEqual(fs.readdirSync(host), ['secret'], 'the host directory is untouched');

    // a tar that plants a symlink to / and writes through it stays inside the container
    const marker = `strata-cp-escape-${process.pid}`;
    await t.engine.copyToContainer(ctr, '/tmp', { stream: hostileTar('door', marker) });
    assert.ok(!fs.existsSync(`/${marker}`), 'nothing was written to the host root');
    assert.equal(await cat(`/${marker}`), 'pwned\n');

    // the swapping loop is live: /swap points at both targets over time
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 2; i++) seen.add((await execCollect(t.engine, ctr, ['readlink', '/swap'])).stdout.trim());
    assert.deepEqual([...seen].sort(), [host, '/swap.dir'].sort());
    let copied = 0;
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      await sleep(i % 5); // spread the attempts over the loop's phases
      const target = path.join(out, `race-${i}`);
      try {
        await t.engine.copyFromContainer(ctr, '/swap/secret', { path: target });
      } catch (err) {
        assert.match((err as Error).message, /Could not find the file/);
        refused++;
        continue; // the link pointed at the host dir, which the container does not have
      }
      copied++;
      assert.equal(fs.readFileSync(target, 'utf8'), 'container\n', `attempt ${i} read outside the container`);
    }
    assert.ok(copied > 0 && refused > 0, `both states were met (copied ${copied}, refused ${refused})`);
  });

  it('reaches volume and bind mounts at their source, and refuses a read-only root or mount', async () => {
    const bound = fs.mkdtempSync(path.join(t.base, 'bind-'));
    fs.writeFileSync(path.join(bound, 'from-bind'), 'bound\n');
    const mounted = (await t.engine.runContainer({
      image: IMAGE,
      cmd: ['sh', '-c', 'echo in-volume > /vol/f; touch /ready; exec sleep 300'],
      readOnly: true,
      mounts: [{ type: 'volume', source: `cpvol-${process.pid}`, target: '/vol' }, { type: 'bind', source: bound, target: '/srv/ro', readOnly: true }],
    })).record.id;
    for (let i = 0; i < 100 && (await execCollect(t.engine, mounted, ['test', '-e', '/vol/f'])).exitCode !== 0; i++) await sleep(20);
    await t.engine.copyFromContainer(mounted, '/vol/f', { path: path.join(out, 'from-volume') });
    assert.equal(fs.readFileSync(path.join(out, 'from-volume'), 'utf8'), 'in-volume\n');
    await t.engine.copyToContainer(mounted, '/vol/', { path: path.join(out, 'renamed') });
    assert.equal((await execCollect(t.engine, mounted, ['cat', '/vol/renamed'])).stdout, 'one\n');
    await t.engine.copyFromContainer(mounted, '/srv/ro/from-bind', { path: path.join(out, 'from-bind') });
    assert.equal(fs.readFileSync(path.join(out, 'from-bind'), 'utf8'), 'bound\n');
    await assert.rejects(t.engine.copyToContainer(mounted, '/srv/ro', { path: path.join(out, 'renamed') }), /read-only/);
    await assert.rejects(t.engine.copyToContainer(mounted, '/tmp', { path: path.join(out, 'renamed') }), /rootfs is marked read-only/);
    assert.deepEqual(fs.readdirSync(bound), ['from-bind']);
    await t.engine.removeContainer(mounted, true, true);
    await t.engine.removeVolume(`cpvol-${process.pid}`).catch(() => {});
  });

  it('copies into and out of a stopped container, and exports it; export → import runs', async () => {
    const stopped = (await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'echo before > /state'] })).record.id;
    assert.equal(await t.engine.waitContainer(stopped), 0);
    await t.engine.copyToContainer(stopped, '/added', { path: path.join(out, 'renamed') });
    await t.engine.copyFromContainer(stopped, '/state', { path: path.join(out, 'state') });
    assert.equal(fs.readFileSync(path.join(out, 'state'), 'utf8'), 'before\n');

    const exported = path.join(out, 'fs.tar');
    const file = fs.createWriteStream(exported);
    await t.engine.exportContainer(stopped, file);
    await new Promise<void>((resolve) => file.end(() => resolve()));
    const names = execFileSync('tar', ['-tf', exported], { encoding: 'utf8' }).split('\n');
    assert.ok(names.includes('added') && names.includes('state') && names.includes('bin/busybox'), names.slice(0, 20).join(' '));
    assert.ok(!names.some((n) => n.startsWith('./') || n.startsWith('/')));

    const imported = await t.engine.importImage(fs.createReadStream(exported), 'test/exported:1', { changes: ['CMD ["cat", "/state", "/added"]'] });
    const run = await runToEnd(t.engine, [], { image: imported.id });
    assert.equal(run.stdout, 'before\none\n');

    // the running container exports too, with what it changed
    const live = path.join(out, 'live.tar');
    const liveFile = fs.createWriteStream(live);
    await t.engine.exportContainer(ctr, liveFile);
    await new Promise<void>((resolve) => liveFile.end(() => resolve()));
    assert.ok(execFileSync('tar', ['-tvf', live], { encoding: 'utf8' }).includes('evil -> /'));
    assert.deepEqual(await t.engine.check(), []);
  });
});
