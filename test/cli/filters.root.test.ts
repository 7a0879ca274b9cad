// `ps --filter` and `images --filter` on real containers and images: every docker filter, AND
// across keys and OR within one (label: all), and docker's error for an unknown filter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main as containers } from '../../source/cli/containers.js';
import { main as images } from '../../source/cli/images.js';
import { main as ps } from '../../source/cli/ps.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { verbIo } from './verb-io.js';

describe('filters', () => {
  let t: TestEngine;
  before(async () => {
    t = await makeTestEngine();
    const io = verbIo(t.engine);
    await t.engine.tagImage(IMAGE, 'filt/base:1.0');
    // commit re-bases its container on the new image: a throw-away one makes the child image
    assert.equal(await containers('run', ['--name', 'maker', IMAGE, 'sh', '-c', 'echo > /made'], io.ctx), 0);
    await t.engine.commitContainer('maker', 'filt/child:2', {});
    await t.engine.removeContainer('maker', true);
    assert.equal(await containers('run', ['--name', 'job', '--label', 'app=job', IMAGE, 'sh', '-c', 'exit 3'], io.ctx), 3);
    assert.equal(await containers('create', ['--name', 'idle', '--label', 'tier=back', '--network', 'none', 'filt/base:1.0'], io.ctx), 0);
    assert.equal(await containers('create', ['--name', 'kid', 'filt/child:2', 'true'], io.ctx), 0);
    assert.equal(await containers('run', ['-d', '--name', 'web', '--label', 'app=web', '--label', 'tier=front', '-p', '80', '--expose', '8080',
      '-v', 'fvol:/data', IMAGE, 'sleep', '60'], io.ctx), 0);
  });
  after(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
    await t.cleanup();
  });

  async function names(verb: 'ps' | 'images', ...args: string[]): Promise<string[]> {
    const io = verbIo(t.engine);
    const format = verb === 'ps' ? '{{.Names}}' : '{{.Repository}}:{{.Tag}}';
    assert.equal(await (verb === 'ps' ? ps : images)(verb, ['--format', format, ...args], io.ctx), 0);
    return io.stdout.text.split('\n').filter(Boolean).sort();
  }
  const psAll = (...filters: string[]) => names('ps', '-a', ...filters.flatMap((f) => ['--filter', f]));

  it('id and name are regular expressions, as docker', async () => {
    const web = await t.engine.inspectContainer('web');
    assert.deepEqual(await psAll(`id=${web.id.slice(0, 10)}`), ['web']);
    assert.deepEqual(await psAll(`id=${web.id.slice(5, 20)}`), ['web']);
    assert.deepEqual(await psAll('name=i'), ['idle', 'kid']);
    assert.deepEqual(await psAll('name=^/id'), ['idle']);
    assert.deepEqual(await psAll('name=job', 'name=web'), ['job', 'web']); // OR within a key
  });

  it('label by key and key=value, every one must hold', async () => {
    assert.deepEqual(await psAll('label=app'), ['job', 'web']);
    assert.deepEqual(await psAll('label=app=web'), ['web']);
    assert.deepEqual(await psAll('label=app', 'label=tier'), ['web']);
    assert.deepEqual(await psAll('label=tier=back'), ['idle']);
  });

  it('status (without -a too), exited, and AND across keys', async () => {
    assert.deepEqual(await names('ps', '--filter', 'status=exited'), ['job']);
    assert.deepEqual(await psAll('status=created'), ['idle', 'kid']);
    assert.deepEqual(await psAll('status=created', 'status=running'), ['idle', 'kid', 'web']);
    assert.deepEqual(await psAll('exited=3'), ['job']);
    assert.deepEqual(await psAll('exited=0'), []);
    assert.deepEqual(await psAll('status=created', 'name=k'), ['kid']);
  });

  it('ancestor by name, tag and id, with the images built on it', async () => {
    const base = await t.engine.inspectImage(IMAGE);
    assert.deepEqual(await psAll('ancestor=filt/base:1.0'), ['idle', 'job', 'kid', 'web']);
    assert.deepEqual(await psAll(`ancestor=${base.id.slice(7, 19)}`), ['idle', 'job', 'kid', 'web']);
    assert.deepEqual(await psAll('ancestor=filt/child:2'), ['kid']);
    assert.deepEqual(await psAll('ancestor=filt/child'), []); // :latest does not exist
    assert.deepEqual(await psAll('ancestor=no/such'), []);
  });

  it('before and since another container', async () => {
    assert.deepEqual(await psAll('before=idle'), ['job']);
    assert.deepEqual(await psAll('since=kid'), ['web']);
    assert.deepEqual(await psAll('since=job', 'before=web'), ['idle', 'kid']);
  });

  it('volume, network, publish and expose read the records', async () => {
    assert.deepEqual(await psAll('volume=fvol'), ['web']);
    assert.deepEqual(await psAll('volume=/data'), ['web']);
    assert.deepEqual(await psAll('network=none'), ['idle']);
    assert.deepEqual(await psAll('network=bridge'), ['job', 'kid', 'web']);
    assert.deepEqual(await psAll('publish=80'), ['web']);
    assert.deepEqual(await psAll('publish=80/udp'), []);
    assert.deepEqual(await psAll('publish=8080'), []);
    assert.deepEqual(await psAll('expose=8080'), ['web']);
    assert.deepEqual(await psAll('expose=8000-8090/tcp'), ['web']);
  });

  it('health, isolation and is-task as docker answers them for containers without those', async () => {
    assert.deepEqual(await psAll('health=none'), ['idle', 'job', 'kid', 'web']);
    assert.deepEqual(await psAll('health=healthy'), []);
    assert.deepEqual(await psAll('isolation=default'), ['idle', 'job', 'kid', 'web']);
    assert.deepEqual(await psAll('is-task=true'), []);
    assert.deepEqual(await psAll('is-task=false'), ['idle', 'job', 'kid', 'web']);
  });

  it('an unknown filter or value fails as docker\'s daemon does', async () => {
    const io = verbIo(t.engine);
    await assert.rejects(ps('ps', ['--filter', 'colour=red'], io.ctx), (e: { message: string; exitCode: number }) => e.message === "invalid filter 'colour'" && e.exitCode === 1);
    await assert.rejects(ps('ps', ['--filter', 'status=sleeping'], io.ctx), /invalid filter 'status=sleeping'/);
    await assert.rejects(images('images', ['--filter', 'colour=red'], io.ctx), (e: { message: string; exitCode: number }) => e.message === "invalid filter 'colour'" && e.exitCode === 1);
  });

  it('images: reference as docker matches it, dangling, label, before, since, until', async () => {
    assert.deepEqual(await names('images', '--filter', 'reference=filt/base'), ['filt/base:1.0']);
    assert.deepEqual(await names('images', '--filter', 'reference=filt/*'), ['filt/base:1.0', 'filt/child:2']);
    assert.deepEqual(await names('images', '--filter', 'reference=*:1.0'), []); // * stays in one path segment
    assert.deepEqual(await names('images', '--filter', 'reference=*/*:1.0'), ['filt/base:1.0']);
    assert.deepEqual(await names('images', '--filter', 'reference=filt/base', '--filter', 'reference=filt/child'), ['filt/base:1.0', 'filt/child:2']);
    assert.deepEqual(await names('images', '--filter', 'dangling=true'), []);
    assert.deepEqual(await names('images', '--filter', 'since=filt/base:1.0'), ['filt/child:2']);
    assert.deepEqual(await names('images', '--filter', 'before=filt/child:2'), ['filt/base:1.0', IMAGE].sort());
    assert.deepEqual(await names('images', '--filter', 'until=1h', '--filter', 'reference=filt/child'), []);
    assert.deepEqual(await names('images', '--filter', 'until=2000-01-01T00:00:00Z'), []);
    assert.deepEqual(await names('images', '--filter', 'label=nope'), []);
  });
});
