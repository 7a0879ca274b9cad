// docker's verbs strata gained for parity, called in-process on a real engine: stop -s,
// top with ps options, container prune and system prune (prompt, sections, reclaimed space),
// network connect/disconnect of a stopped container (and of a running one).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { main as containers } from '../../source/cli/containers.js';
import { main as prune } from '../../source/cli/prune.js';
import { main as network } from '../../source/cli/network.js';
import { IMAGE, collectLogs, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { verbIo } from './verb-io.js';

describe('parity verbs on a real engine', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  afterEach(async () => {
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true);
  });
  after(() => t.cleanup());
  const names = async () => (await t.engine.listContainers(true)).map((c) => c.name).sort();

  it('stop -s sends the given signal instead of the stop signal, and refuses a bad one', async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'trap', cmd: ['sh', '-c', 'trap "echo got-usr1; exit 0" USR1; echo ready; while true; do sleep 0.1; done'] });
    for (let i = 0; !(await collectLogs(t.engine, 'trap')).stdout.includes('ready'); i++) {
      assert.ok(i < 100);
      await new Promise((r) => setTimeout(r, 50));
    }
    const io = verbIo(t.engine);
    assert.equal(await containers('stop', ['-s', 'USR1', '-t', '20', 'trap'], io.ctx), 0);
    assert.equal(io.stdout.text, 'trap\n');
    assert.match((await collectLogs(t.engine, 'trap')).stdout, /got-usr1/);
    assert.equal((await t.engine.inspectContainer('trap')).state.exitCode, 0);

    await t.engine.startContainer('trap');
    const bad = verbIo(t.engine);
    assert.equal(await containers('stop', ['--signal', 'NOPE', 'trap'], bad.ctx), 1);
    assert.match(bad.stderr.text, /invalid signal: NOPE/);
  });

  it("top with ps options shows ps's columns for the container's processes only", async () => {
    await t.engine.runContainer({ image: IMAGE, name: 'sleeper', cmd: ['sleep', '300'] });
    const io = verbIo(t.engine);
    assert.equal(await containers('top', ['sleeper', '-o', 'pid,comm'], io.ctx), 0);
    const lines = io.stdout.text.trimEnd().split('\n');
    assert.match(lines[0], /^PID\s+COMMAND$/);
    assert.equal(lines.length, 2, io.stdout.text);
    assert.match(lines[1], /^\d+\s+sleep$/);
    assert.equal(Number(lines[1].split(/\s+/)[0]), (await t.engine.inspectContainer('sleeper')).state.pid);

    const noPid = verbIo(t.engine);
    assert.equal(await containers('top', ['sleeper', '-o', 'comm'], noPid.ctx).catch(() => 1), 1);
  });

  it('container prune asks first, removes only stopped containers that match the filters, and reports them', async () => {
    const keep = await t.engine.runContainer({ image: IMAGE, name: 'running', cmd: ['sleep', '300'] });
    const labelled = await t.engine.createContainer({ image: IMAGE, name: 'labelled', cmd: ['true'], labels: { keep: 'yes' } });
    const plain = await t.engine.createContainer({ image: IMAGE, name: 'plain', cmd: ['sh', '-c', 'head -c 20000 /dev/zero > /junk'] });
    await t.engine.startContainer(plain.id);
    await t.engine.waitContainer(plain.id);

    const declined = verbIo(t.engine);
    declined.stdin.end('n\n');
    assert.equal(await prune('container prune', [], declined.ctx), 0);
    assert.equal(declined.stdout.text, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ');
    assert.deepEqual(await names(), ['labelled', 'plain', 'running']);

    const io = verbIo(t.engine);
    assert.equal(await prune('container prune', ['-f', '--filter', 'label!=keep=yes'], io.ctx), 0);
    assert.match(io.stdout.text, new RegExp(`^Deleted Containers:\\n${plain.id}\\n\\nTotal reclaimed space: \\d+(\\.\\d+)?kB\\n$`));
    assert.deepEqual(await names(), ['labelled', 'running']);
    assert.ok(keep.record.id && labelled.id);
  });

  it("system prune lists docker's warnings and prunes containers, networks and images", async () => {
    const since = new Date();
    await t.engine.createContainer({ image: IMAGE, name: 'stopped', cmd: ['true'] });
    await t.engine.createNetwork('unused-net');
    const declined = verbIo(t.engine);
    declined.stdin.end('\n');
    assert.equal(await prune('system prune', ['--volumes'], declined.ctx), 0);
    assert.equal(declined.stdout.text, [
      'WARNING! This will remove:',
      '  - all stopped containers',
      '  - all networks not used by at least one container',
      '  - all anonymous volumes not used by at least one container',
      '  - all dangling images',
      '  - unused build cache',
      '',
      'Are you sure you want to continue? [y/N] ',
    ].join('\n'));
    const io = verbIo(t.engine);
    io.stdin.end('y\n');
    assert.equal(await prune('system prune', [], io.ctx), 0);
    assert.match(io.stdout.text, /\[y\/N\] Deleted Containers:\n[0-9a-f]{64}\n\nDeleted Networks:\nunused-net\n\nTotal reclaimed space: \S+\n$/);
    assert.deepEqual(await names(), []);
    const journaled: string[] = [];
    for await (const m of t.engine.events({ since, until: new Date() })) journaled.push(`${m.Type} ${m.Action} ${m.Actor.Attributes.name}`);
    assert.deepEqual(journaled, ['container create stopped', 'network create unused-net', 'container destroy stopped', 'network destroy unused-net']);
  });

  it('network connect/disconnect move a stopped container between networks, with aliases its peers see', async () => {
    await t.engine.createNetwork('backend');
    const db = await t.engine.createContainer({ image: IMAGE, name: 'db', cmd: ['sleep', '300'] });
    // as docker: a container on bridge connected to a user network is on both, bridge first
    assert.equal(await network('network', ['connect', '--alias', 'database', 'backend', 'db'], verbIo(t.engine).ctx), 0);
    await assert.rejects(network('network', ['connect', 'backend', 'db'], verbIo(t.engine).ctx), /already exists in network backend/);
    assert.equal((await t.engine.inspectContainer('db')).hostConfig.network, 'bridge');
    assert.equal(await network('network', ['disconnect', 'bridge', 'db'], verbIo(t.engine).ctx), 0);
    await assert.rejects(network('network', ['disconnect', 'bridge', 'db'], verbIo(t.engine).ctx), /is not connected to network bridge/);
    assert.equal((await t.engine.inspectContainer('db')).hostConfig.network, 'backend');
    await t.engine.startContainer(db.id);
    const { record: client } = await t.engine.runContainer({ image: IMAGE, name: 'client', network: 'backend', cmd: ['sleep', '300'] });
    const hosts = (await import('node:fs')).readFileSync(`${t.root}/containers/${client.id}/hosts`, 'utf8');
    assert.match(hosts, /\tdb database [0-9a-f]{12}\n/);
    // running now: disconnected at once (hot-plug: test/engine/network/hot-plug.root.test.ts)
    assert.equal(await network('network', ['disconnect', 'backend', 'db'], verbIo(t.engine).ctx), 0);
    assert.doesNotMatch((await import('node:fs')).readFileSync(`${t.root}/containers/${client.id}/hosts`, 'utf8'), /\tdb database/);
  });
});
