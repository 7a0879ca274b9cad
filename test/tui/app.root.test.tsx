// The whole app (Root) rendered by ink-testing-library on a real engine with real containers:
// what a user sees and what each key does to the containers.
import './force-color.js';
import { after, afterEach, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { EngineApi } from '../../source/engine/api.js';
import { pack } from 'tar-stream';
import { Engine } from '../../source/engine/engine.js';
import { freePort, startRegistry } from '../engine/registry/registry-server.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { say, sayScript } from './container-output.js';
import { KEYS, renderApp, tick } from './render-helpers.js';

const SLEEP = ['sleep', '300'];
// Stops at once on SIGTERM (a plain `sleep` as PID 1 ignores it and waits for the kill).
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done'];

describe('the TUI app on a real engine', () => {
  let t: TestEngine;
  let engine: EngineApi;
  const run = (name: string, cmd = SLEEP) => t.engine.runContainer({ image: IMAGE, name, cmd });
  const create = (name: string) => t.engine.createContainer({ image: IMAGE, name, cmd: SLEEP });

  before(async () => {
    t = await makeTestEngine();
    engine = t.engine;
  });
  afterEach(async () => {
    cleanup();
    // A container the test removed may still be listed while it goes; t.cleanup() checks nothing is left.
    for (const c of await engine.listContainers(true)) await engine.removeContainer(c.id, true).catch(() => undefined);
  });
  after(() => t.cleanup());

  it('lists containers with state, resources and uptime', async () => {
    await run('web');
    await create('fresh');
    await run('job', ['sh', '-c', 'exit 3']);
    await engine.waitContainer('job');
    await run('cache');
    await engine.pauseContainer('cache');
    const app = renderApp(engine);
    const screen = await app.waitFor(/web\s+test\/busybox:latest\s+running\s+\S+.*\d+\.\d%\s+\d+(\.\d)?[KM]iB\s+1\b/);
    assert.match(screen, /job\s+test\/busybox:latest\s+exited \(3\)/);
    assert.match(screen, /fresh\s+test\/busybox:latest\s+created/);
    assert.match(screen, /cache\s+.*paused/);
  });

  it('shows published ports like docker ps, only when some container has them', async () => {
    await run('plain');
    const app = renderApp(engine);
    await app.waitFor(/^plain /m);
    assert.ok(!app.screen().includes('PORTS'));
    const hostPort = await freePort();
    await t.engine.runContainer({ image: IMAGE, name: 'served', cmd: SLEEP, ports: [{ containerPort: 8080, protocol: 'tcp', hostPort }] });
    await app.waitFor(new RegExp(`^served .*0\\.0\\.0\\.0:${hostPort}->8080/tcp`, 'm'));
    assert.match(app.screen(), /PIDS PORTS/);
  });

  it('keeps the selection on the same container when another process changes the list', async () => {
    for (const name of ['b-web', 'c-db', 'd-cache']) await run(name);
    const app = renderApp(engine);
    await app.waitFor('d-cache');
    await app.type(KEYS.down);
    await app.waitForSelected(/^c-db/);
    // Another strata process adds a container that sorts first and removes one after.
    const other = await import('../../source/engine/engine.js').then(({ Engine }) => new Engine(engine.options));
    try {
      await other.runContainer({ image: IMAGE, name: 'a-new', cmd: SLEEP });
      await other.removeContainer('d-cache', true);
    } finally {
      await other.close();
    }
    await app.waitFor((s) => s.includes('a-new') && !s.includes('d-cache'), 2000);
    await app.waitForSelected(/^c-db/);
  });

  it('500 containers: only a screenful is drawn and the cursor scrolls the window', async () => {
    await Promise.all(Array.from({ length: 500 }, (_, i) => create(`c${String(i).padStart(3, '0')}`)));
    const app = renderApp(engine);
    await app.waitFor('c000', 15_000);
    assert.ok(app.screen().split('\n').length <= 24);
    await app.type('G');
    await app.waitFor('c499');
    assert.ok(!app.screen().includes('c000'));
    await app.waitForSelected(/^c499/);
    await app.type('g');
    await app.waitFor('c000');
  });

  it('`/` filters the table as one types; Esc clears the filter', async () => {
    for (const name of ['web-1', 'web-2', 'db']) await create(name);
    const app = renderApp(engine);
    await app.waitFor(/^db /m);
    await app.type('/', 'w', 'e', 'b');
    let screen = await app.waitFor((s) => !/^db /m.test(s));
    assert.match(screen, /web-1/);
    assert.match(screen, /web-2/);
    await app.type(KEYS.enter);
    screen = await app.waitFor('filter: web');
    assert.match(screen, /2 of 3/);
    await app.type(KEYS.esc);
    await app.waitFor((s) => /^db /m.test(s) && !s.includes('filter:'));
  });

  it('Ctrl-C closes a prompt without quitting; outside a prompt it quits', async () => {
    for (const name of ['web-1', 'db']) await create(name);
    const app = renderApp(engine);
    await app.waitFor(/^db /m);
    await app.type('/', 'w', 'e');
    await app.waitFor((s) => !/^db /m.test(s));
    await app.type('\x03');
    await app.waitFor((s) => /^db /m.test(s) && /^web-1 /m.test(s));
    assert.doesNotMatch(app.screen(), /filter:/);
    // Still running and taking keys: the images pane comes up.
    await app.type('2');
    await app.waitFor('REPOSITORY:TAG');
    await app.type('\x03', '1');
    await tick(200);
    assert.ok(!app.screen().includes('NAME↑'), 'quit before 1 could show the containers');
  });

  it('o sorts by the next column, O reverses', async () => {
    await create('a-idle');
    await run('b-busy', ['sh', '-c', 'while :; do :; done']);
    const app = renderApp(engine);
    await app.waitFor('b-busy');
    assert.match(app.screen(), /a-idle[\s\S]*b-busy/);
    await app.type('O');
    await app.waitFor((s) => /NAME↓/.test(s) && /b-busy[\s\S]*a-idle/.test(s));
  });

  it('pause and unpause: the engine freezes the container, the state and the strata command show', async () => {
    await run('web');
    const app = renderApp(engine);
    await app.waitFor(/web\s+\S+\s+running/);
    await app.type('p');
    const screen = await app.waitFor(/web\s+\S+\s+paused/);
    assert.match(screen, /✓ strata pause web/);
    assert.equal((await engine.inspectContainer('web')).state.paused, true);
    await app.type('p');
    await app.waitFor((s) => s.includes('strata unpause web') && /web\s+\S+\s+running/.test(s));
  });

  it('stop, start and restart from the keyboard', async () => {
    await run('web', IDLE);
    const app = renderApp(engine);
    await app.waitFor(/web\s+\S+\s+running/);
    await app.type('x');
    await app.waitFor(/web\s+\S+\s+exited \(\d+\)/, 15_000);
    assert.equal((await engine.inspectContainer('web')).state.running, false);
    await app.type('s');
    await app.waitFor(/web\s+\S+\s+running/);
    await app.type('r');
    await app.waitFor('✓ strata restart web', 15_000);
    assert.equal((await engine.inspectContainer('web')).state.running, true);
  });

  it('remove asks first; n cancels, y removes with -f a running container', async () => {
    await run('web');
    await create('zz');
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type('d');
    await app.waitFor('Remove web?');
    await app.type('n');
    await app.waitFor((s) => !s.includes('Remove web?'));
    assert.equal((await engine.listContainers(true)).length, 2);
    await app.type('d', 'y');
    const screen = await app.waitFor((s) => !/^web /m.test(s) && s.includes('strata rm -f web'));
    assert.ok(screen.includes('zz'));
    assert.deepEqual((await engine.listContainers(true)).map((c) => c.name), ['zz']);
  });

  it('an engine error shows in the status bar; the app keeps running', async () => {
    await create('db');
    await create('web');
    const app = renderApp(engine);
    await app.waitFor(/^web /m);
    await app.type(KEYS.down, 'n', KEYS.backspace, KEYS.backspace, KEYS.backspace, 'd', 'b', KEYS.enter);
    const screen = await app.waitFor('error:');
    assert.match(screen, /error: .*already in use.*\(strata rename web db\)/);
    assert.match(screen, /✗ strata rename web db/);
    await app.type(KEYS.up);
    await app.waitForSelected(/^db/);
  });

  it('rename opens a prompt with the name and renames', async () => {
    await create('web');
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type('n', KEYS.backspace, KEYS.backspace, KEYS.backspace, 'a', 'p', 'i', KEYS.enter);
    await app.waitFor('✓ strata rename web api');
    await app.waitFor(/^api\s+test/m);
    assert.equal((await engine.inspectContainer('api')).name, 'api');
  });

  it('? shows the help of the current pane; Esc closes it', async () => {
    const app = renderApp(engine);
    await app.waitFor('no containers');
    await app.type('?');
    let screen = await app.waitFor('Keys');
    assert.match(screen, /pause\/unpause/);
    await app.type(KEYS.esc, '3', '?');
    screen = await app.waitFor('timestamps on/off');
    assert.match(screen, /Keys \(page 1\/\d+/);
    for (let page = 2; page <= 4 && !/show only matching lines/.test(screen); page++) {
      await app.type(KEYS.pageDown);
      screen = await app.waitFor(new RegExp(`Keys \\(page ${page}/`));
    }
    assert.match(screen, /show only matching lines/);
    await app.type(KEYS.esc);
    await app.waitFor((s) => !s.includes('Keys'));
  });

  it('digits and Tab move between panes; inspect shows scrollable JSON', async () => {
    const record = await create('web');
    const [image] = await engine.listImages();
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type('2');
    let screen = await app.waitFor('REPOSITORY:TAG');
    assert.match(screen, new RegExp(`test/busybox:latest\\s+${image.id.slice(7, 19)}\\s+\\d`));
    assert.match(screen, /test\/busybox:latest.*\s1\s*$/m); // one container uses it
    await app.type(KEYS.tab);
    await app.waitFor('logs web');
    await app.type(KEYS.shiftTab, KEYS.shiftTab);
    await app.waitFor('NAME↑');
    await app.type('i');
    screen = await app.waitFor('strata inspect web');
    // What strata inspect prints: docker's keys, not the engine's record (defect 11).
    assert.match(screen, new RegExp(`"Id": "${record.id}"`));
    await app.type(KEYS.esc);
    await app.waitFor((s) => !s.includes('strata inspect'));
  });

  it('run from the images pane: a form, a real container, the strata run command', async () => {
    const app = renderApp(engine, { initialPane: 'images' });
    await app.waitFor('test/busybox');
    await app.type('R');
    await app.waitFor(`Run ${IMAGE}`);
    await app.type('w', 'e', 'b', KEYS.enter, 's', 'l', 'e', 'e', 'p', ' ', '9', '9', KEYS.enter, 'A', '=', '1', KEYS.enter, '6', '4', 'm', KEYS.enter, KEYS.enter);
    await app.waitFor(`strata run -d --name web -e A=1 --memory 64m ${IMAGE} sleep 99`);
    await app.waitFor(/web\s+test\/busybox:latest\s+running/); // back on the containers pane
    await app.waitForSelected(/^web/);
    const record = await engine.inspectContainer('web');
    assert.deepEqual(record.config.cmd, ['sleep', '99']);
    assert.ok(record.config.env.includes('A=1'));
    assert.equal(record.hostConfig.limits.memoryBytes, 64 * 1024 * 1024);
  });

  it('images: tag with a prompt, prune the dangling ones after asking', async () => {
    const app = renderApp(engine, { initialPane: 'images' });
    await app.waitFor('test/busybox');
    await app.type('t');
    await app.waitFor(`Tag ${IMAGE} as:`);
    await app.type('mine:1', KEYS.enter);
    await app.waitFor(/^mine:1\s+[0-9a-f]{12}/m);
    await app.waitFor(`✓ strata tag ${IMAGE} mine:1`);
    await app.type('P');
    await app.waitFor('no dangling images to prune');
    // An image imported without a name: dangling.
    const { busyboxRootfsTar } = await import('../../source/engine/demo.js');
    const other = await engine.importImage(busyboxRootfsTar(), undefined, { changes: ['CMD ["echo", "other"]'] });
    await engine.removeImage('mine:1');
    await app.waitFor(/<none>:<none>/);
    const before = (await engine.listImages()).length;
    await app.type('P');
    await app.waitFor('Remove 1 dangling image(s)');
    await app.type('y');
    await app.waitFor(/pruned 1 image\(s\), \S+ reclaimed/);
    assert.match(app.screen(), /✓ strata image prune -f/);
    assert.equal((await engine.listImages()).length, before - 1);
    assert.ok(!(await engine.listImages()).some((i) => i.id === other.id));
  });

  it('images: p pulls by name from a registry with per-layer progress; H shows the history, L the layers', async () => {
    const registry = await startRegistry();
    const ref = `${registry.host}/tui/note:1`;
    try {
      // Pushed from another store: an image whose one layer this engine does not have.
      const pusher = new Engine({ root: path.join(t.base, 'pusher', 'root'), runtimeDir: path.join(t.base, 'pusher', 'run') });
      try {
        const tar = pack();
        tar.entry({ name: 'note.txt' }, 'pulled by the TUI test\n');
        tar.finalize();
        await pusher.importImage(tar as unknown as NodeJS.ReadableStream, ref, { changes: ['CMD ["cat", "/note.txt"]'] });
        await pusher.pushImage(ref);
      } finally {
        await pusher.close();
      }
      const app = renderApp(engine, { initialPane: 'images' });
      await app.waitFor('test/busybox');
      await app.type('p');
      await app.waitFor('pull:');
      await app.type(ref, KEYS.enter);
      const screen = await app.waitFor(/✓ strata pull /, 20_000);
      assert.match(screen, new RegExp(`pulling ${ref.replace(/[.]/g, '\\.')}`));
      assert.match(screen, /[0-9a-f]{12}\s+Pull complete\s+█+\s/);
      await app.waitFor(new RegExp(`^${ref.replace(/[.]/g, '\\.')}\\s+[0-9a-f]{12}`, 'm'));
      assert.ok((await engine.listImages()).some((i) => i.repoTags.includes(ref)));
      // History of the selected (first) row.
      await app.type('g', 'H');
      const history = await app.waitFor('strata history');
      assert.match(history, /IMAGE\s+CREATED\s+CREATED BY\s+SIZE/);
      await app.type(KEYS.esc);
      // L opens the selected image in the layer explorer (its own pane).
      await app.type('L');
      await app.waitFor((text) => !text.includes('REPOSITORY:TAG') && text.includes(ref) && /note\.txt/.test(text), 10_000);
      await app.type('2');
      await app.waitFor('REPOSITORY:TAG');
      await engine.removeImage(ref);
    } finally {
      await registry.stop();
    }
  });

  it('logs: live lines arrive, stderr marked, search counts matches, & filters, follow toggles', async () => {
    await run('web');
    await say(engine, 'web', ['first line', 'second line', ...Array.from({ length: 30 }, (_, i) => `filler ${i}`)]);
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type(KEYS.enter);
    await app.waitFor('filler 29');
    await say(engine, 'web', ['boom happened'], 'stderr');
    await say(engine, 'web', ['third line']);
    let screen = await app.waitFor('third line');
    assert.match(screen, /E boom happened/);
    await app.type('/', 'l', 'i', 'n', 'e', KEYS.enter);
    screen = await app.waitFor('/line (3)');
    await app.type('&', 'b', 'o', 'o', 'm', KEYS.enter);
    screen = await app.waitFor('&boom');
    assert.ok(!screen.includes('first line'));
    assert.match(screen, /boom happened/);
    await app.type(KEYS.esc);
    screen = await app.waitFor((s) => s.includes('third line') && !s.includes('&boom'));
    await app.type('f');
    await app.waitFor('follow off');
    await say(engine, 'web', ['while paused']);
    await tick(300);
    assert.ok(!app.screen().includes('while paused'));
    await app.type('G');
    await app.waitFor('while paused');
    await app.type('t');
    await app.waitFor(/\d\d:\d\d:\d\d\.\d{3} while paused/);
  });

  it('logs: a merged view of marked containers, each line marked with its container; s saves it', async () => {
    await run('alpha');
    await run('beta');
    await say(engine, 'alpha', ['from alpha']);
    await say(engine, 'beta', ['from beta'], 'stderr');
    const app = renderApp(engine);
    await app.waitFor(/^alpha /m);
    await app.type('m', KEYS.down, 'm');
    await app.waitFor('2 marked for a merged log');
    assert.match(app.screen(), /^\+ alpha/m);
    await app.type(KEYS.enter);
    let screen = await app.waitFor((s) => /alpha\s+from alpha/.test(s) && /E beta\s+from beta/.test(s));
    assert.match(screen, /logs alpha \+ beta/);
    const file = path.join(t.base, 'merged.log');
    await app.type('s');
    await app.waitFor('save to:');
    await app.type('\x15', file, KEYS.enter);
    screen = await app.waitFor(`saved 2 lines to ${file}`);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').sort().join('\n'), '\nalpha from alpha\nbeta from beta');
    assert.match(screen, /strata logs alpha; strata logs beta; } > /);
    await app.type(KEYS.esc, 'M');
    await app.waitFor((s) => !s.includes('marked for a merged log'));
  });

  it('logs: a merged view reads the histories back in time order, not container by container', async () => {
    await run('alpha');
    await run('beta');
    for (let i = 1; i <= 3; i++) {
      await say(engine, 'alpha', [`history ${2 * i - 1}`]);
      await say(engine, 'beta', [`history ${2 * i}`]);
    }
    const app = renderApp(engine);
    await app.waitFor(/^alpha /m);
    await app.type('m', KEYS.down, 'm');
    await app.waitFor('2 marked for a merged log');
    await app.type(KEYS.enter);
    const screen = await app.waitFor((s) => (s.match(/history \d/g) ?? []).length === 6);
    assert.deepEqual(screen.match(/history \d/g), ['history 1', 'history 2', 'history 3', 'history 4', 'history 5', 'history 6']);
  });

  it('logs: another container opens at its end, following, whatever the last one was left at', async () => {
    await run('web');
    await run('db');
    await say(engine, 'web', Array.from({ length: 80 }, (_, i) => `web line ${i}`));
    await say(engine, 'db', Array.from({ length: 80 }, (_, i) => `db line ${i}`));
    const app = renderApp(engine);
    await app.waitFor(/^web /m);
    await app.type(KEYS.down); // db is first by name
    await app.waitForSelected(/^web /);
    await app.type(KEYS.enter);
    await app.waitFor('web line 79');
    await app.type('g', '/');
    await tick(300); // the prompt opens
    await app.type('l', 'i', 'n', 'e', ' ', '1', KEYS.enter);
    await app.waitFor((s) => s.includes('follow off') && s.includes('/line 1'));
    await app.type(KEYS.esc); // clears the search
    await app.type(KEYS.esc); // back to the containers
    await app.waitFor('NAME↑');
    await app.type(KEYS.up, KEYS.enter);
    const screen = await app.waitFor((s) => s.includes('logs db') && s.includes('db line 79'));
    assert.match(screen, /follow on/);
    assert.match(screen, /line 80\/80/);
  });

  it('logs: the header says what was read back and what came live; follow off freezes the view and counts new lines', async () => {
    await run('web');
    await say(engine, 'web', Array.from({ length: 50 }, (_, i) => `old ${i}`));
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type(KEYS.enter);
    await app.waitFor((s) => s.includes('follow on') && s.includes('of last 1000  timestamps') && s.includes('line 50/50'));
    await say(engine, 'web', Array.from({ length: 30 }, (_, i) => `new ${i}`));
    await app.waitFor((s) => s.includes('last 1000 + 30 live') && s.includes('line 80/80'));
    await app.type('f');
    const frozen = await app.waitFor('follow off');
    await say(engine, 'web', Array.from({ length: 1234 }, (_, i) => `newer ${i}`));
    await app.waitFor('+1,234 new');
    const body = (s: string) => s.split('\n').filter((l) => /^\s+(old|new|newer) \d+/.test(l)).join('\n');
    assert.equal(body(app.screen()), body(frozen));
    await app.type('k');
    await tick(100);
    assert.ok(!/newer \d/.test(app.screen()), 'k goes to older lines');
  });

  it('logs: r reads back less or more (last 1000, last 100, since…)', async () => {
    await run('web');
    await say(engine, 'web', Array.from({ length: 150 }, (_, i) => `line ${i}`));
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type(KEYS.enter);
    await app.waitFor((s) => s.includes('last 1000') && s.includes('line 150/150'));
    await app.type('r');
    await app.waitFor((s) => s.includes('last 100 ') && s.includes('line 100/100'));
    await app.type('r');
    await app.waitFor((s) => s.includes('since 5m') && s.includes('line 150/150'));
  });

  it('a log of 20k lines at once stays bounded and redraws at most ~30 times a second', async () => {
    await run('web');
    const app = renderApp(engine);
    await app.waitFor('web');
    await app.type(KEYS.enter);
    await app.waitFor('logs web');
    const framesBefore = app.frames.length;
    const started = Date.now();
    await sayScript(engine, 'web', 'seq 1 20000 | sed "s/^/burst line /" >/proc/1/fd/1');
    await app.waitFor('burst line 20000', 10_000);
    const elapsed = Date.now() - started;
    assert.match(app.screen(), /line 10000\/10000/); // the ring buffer's bound
    const frames = app.frames.length - framesBefore;
    assert.ok(frames <= (elapsed / 1000) * 40 + 5, `${frames} frames in ${elapsed} ms`);
  });

  it('stats pane: sparklines and the process list of the selected container', async () => {
    await run('web', ['sh', '-c', 'while :; do sleep 1; done']);
    const app = renderApp(engine, { initialPane: 'stats', refreshMs: 250 });
    const screen = await app.waitFor((s) => /while :; do sleep 1; done/.test(s) && /[▁▂▃▄▅▆▇█]{2}/.test(s));
    assert.match(screen, /web\s+\d+\.\d%/);
    assert.match(screen, /processes in web/);
    const { pid } = (await engine.inspectContainer('web')).state;
    assert.match(screen, new RegExp(`\\b${pid}\\b`));
  });

  it('t opens the stats of the highlighted container; the containers pane follows the stats pane back', async () => {
    await run('alpha');
    await run('beta');
    await run('gamma');
    const app = renderApp(engine);
    await app.waitFor(/^gamma /m);
    await app.type('G');
    await app.waitForSelected(/^gamma /);
    await app.type('t');
    await app.waitFor('processes in');
    assert.match(await app.waitForSelected(/^gamma /), /^gamma /);
    assert.match(app.screen(), /processes in gamma/);
    await app.type(KEYS.up);
    await app.waitForSelected(/^beta /);
    await app.type('1');
    await app.waitForSelected(/^beta /); // and back: the containers pane follows the stats pane
  });

  it('no stats are sampled while no pane shows running containers', async () => {
    await run('web');
    let statsCalls = 0;
    // The real engine, with its stats calls counted.
    const counting = new Proxy(engine, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'stats') return (...args: unknown[]) => { statsCalls++; return (value as (...a: unknown[]) => unknown).apply(target, args); };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const app = renderApp(counting, { initialPane: 'images', refreshMs: 250 });
    await app.waitFor('REPOSITORY');
    await tick(700);
    assert.equal(statsCalls, 0);
    await app.type('1');
    await app.waitFor(/web.*\d+\.\d%/);
    assert.ok(statsCalls > 0);
  });

  it('NO_COLOR: no colour escapes, the selection still shows in inverse video', async () => {
    await run('web');
    const app = renderApp(engine, { env: { NO_COLOR: '1' } });
    await app.waitFor(/web.*\d+\.\d%/);
    assert.ok(!/\x1b\[3[0-9]m|\x1b\[9[0-7]m/.test(app.raw()), 'no foreground colours');
    await app.waitForSelected(/^web/);
  });
});
