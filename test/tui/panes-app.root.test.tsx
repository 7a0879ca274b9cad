// The whole app (Root) rendered by ink-testing-library on a real engine: marked containers
// paused, unpaused and removed together; networks and volumes created, inspected, removed and
// pruned from their panes.
import './force-color.js';
import { after, afterEach, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import assert from 'node:assert/strict';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { KEYS, renderApp } from './render-helpers.js';

const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done'];

describe('the TUI panes on a real engine', () => {
  let t: TestEngine;
  const run = (name: string) => t.engine.runContainer({ image: IMAGE, name, cmd: IDLE, network: 'none' });

  before(async () => {
    t = await makeTestEngine();
  });
  afterEach(async () => {
    cleanup();
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true).catch(() => undefined);
  });
  after(() => t.cleanup());

  it('p pauses the marked containers, p again unpauses them, d removes them (killed first) after one question each', async () => {
    for (const name of ['one', 'two', 'three']) await run(name);
    const app = renderApp(t.engine);
    await app.waitFor(/two\s+test\/busybox:latest\s+running/, 10_000);
    await app.type(KEYS.down, ' ', ' '); // three, then two (sorted by name: one, three, two)
    await app.waitFor('2 marked');
    await app.type('p');
    await app.waitFor('Pause 2 containers (three, two)?');
    await app.type('y');
    await app.waitFor('✓ strata pause three two', 15_000);
    assert.equal((await t.engine.inspectContainer('two')).state.paused, true);
    assert.equal((await t.engine.inspectContainer('three')).state.paused, true);
    assert.equal((await t.engine.inspectContainer('one')).state.paused, false, 'one, not marked, runs on');

    await app.waitFor(/\+ two\s+test\/busybox:latest\s+paused/);
    await app.type('p');
    await app.waitFor('Unpause 2 containers (three, two)?');
    await app.type('y');
    await app.waitFor('✓ strata unpause three two', 15_000);
    assert.equal((await t.engine.inspectContainer('two')).state.running && !(await t.engine.inspectContainer('two')).state.paused, true);

    await app.type('d');
    await app.waitFor('Remove 2 containers (three, two)? 2 running or paused: killed first.');
    await app.type('y');
    await app.waitFor('✓ strata rm -f three two', 15_000);
    assert.deepEqual((await t.engine.listContainers(true)).map((c) => c.name), ['one']);
    await app.waitFor((s) => !s.includes('marked'), 5000);
  });

  it('n answers no: nothing happens to the marked containers', async () => {
    await run('kept1');
    await run('kept2');
    const app = renderApp(t.engine);
    await app.waitFor(/kept2\s+test\/busybox:latest\s+running/, 10_000);
    await app.type(' ', ' ', 'K');
    await app.waitFor('Kill (SIGKILL) 2 containers (kept1, kept2)?');
    await app.type('n');
    await app.waitFor((s) => !s.includes('Kill (SIGKILL)'));
    assert.equal((await t.engine.listContainers(false)).length, 2);
  });

  it('networks: c creates one from a form, i shows network inspect, d removes it', async () => {
    const app = renderApp(t.engine, { initialPane: 'networks' });
    await app.waitFor(/bridge\s+bridge\s+\d+\.\d+\.\d+\.\d+\/\d+/, 10_000);
    await app.type('c');
    await app.waitFor('Create a network');
    await app.type('f', 'r', 'o', 'n', 't', KEYS.enter, KEYS.enter);
    await app.waitFor(/created network front \(\d+\.\d+\.\d+\.\d+\/24\)/, 10_000);
    await app.waitFor(/front\s+bridge\s+\d+\.\d+\.\d+\.\d+\/24\s+-/);
    // A container connected to it is named beside it, and gone again when disconnected.
    await t.engine.createContainer({ image: IMAGE, name: 'member', cmd: IDLE, network: 'none' });
    await t.engine.connectNetwork('front', 'member');
    await app.waitFor(/front\s+bridge\s+\S+\s+member/, 5000);
    await t.engine.disconnectNetwork('front', 'member');
    await app.waitFor(/front\s+bridge\s+\S+\s+-/, 5000);
    await app.type('/', 'f', 'r', 'o', KEYS.enter);
    await app.waitFor('filter: fro');
    await app.type('i');
    const inspected = await app.waitFor('strata network inspect front');
    assert.match(inspected, /"Name": "front",/);
    assert.match(inspected, /"Driver": "bridge",/);
    await app.type(KEYS.esc);
    await app.waitFor((s) => !s.includes('network inspect'));
    await app.type('d');
    await app.waitFor('Remove network front?');
    await app.type('y');
    await app.waitFor('✓ strata network rm front', 10_000);
    assert.ok(!(await t.engine.listNetworks()).some((n) => n.name === 'front'));
    // The pre-defined ones cannot go, and say so.
    await app.type(KEYS.esc, 'g', 'd');
    await app.waitFor('bridge is a pre-defined network and cannot be removed');
  });

  it('volumes: c with no name makes an anonymous one, i shows volume inspect, P prunes the unused', async () => {
    const app = renderApp(t.engine, { initialPane: 'volumes' });
    await app.waitFor('no volumes', 10_000);
    await app.type('c', KEYS.enter);
    const made = await app.waitFor(/created volume ([0-9a-f]{64})/, 10_000);
    const name = /created volume ([0-9a-f]{64})/.exec(made)![1];
    await app.waitFor(new RegExp(`^${name.slice(0, 20)}.*\\slocal\\s`, 'm')); // listed: the store watcher saw it
    await app.type('i');
    const inspected = await app.waitFor('strata volume inspect');
    assert.ok(inspected.includes(`"Name": "${name}",`), inspected);
    // The long path wraps onto the next row: read whole once the rows are joined.
    assert.match(inspected.replace(/ *│\n│ /g, ''), /"Mountpoint": ".*\/volumes\/[0-9a-f]{64}\/_data",/);
    await app.type(KEYS.esc);
    await app.type('P');
    await app.waitFor('Remove 1 volume(s) no container uses');
    await app.type('y');
    await app.waitFor(/pruned 1 volume\(s\)/, 10_000);
    await app.waitFor('no volumes');
    assert.deepEqual(await t.engine.listVolumes(), []);
  });

  it("images: i shows docker's image inspect (what strata inspect prints), searchable", async () => {
    const app = renderApp(t.engine, { initialPane: 'images' });
    await app.waitFor(/test\/busybox:latest\s+[0-9a-f]{12}/, 10_000);
    await app.type('i');
    const inspected = await app.waitFor(`strata inspect ${IMAGE}`);
    assert.match(inspected, /"RepoTags": \[/);
    assert.doesNotMatch(inspected, /"repoTags"/, "not the engine's own record");
    await app.type('/', 'R', 'o', 'o', 't', 'F', 'S', KEYS.enter);
    await app.waitFor(/"RootFS": \{/);
    await app.waitFor(/\/RootFS\s+1\/1 matching line/);
    await app.type(KEYS.esc, KEYS.esc);
    await app.waitFor('REPOSITORY:TAG');
  });
});
