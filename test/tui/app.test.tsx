import './force-color.js';
import { afterEach, test } from 'node:test';
import { cleanup } from 'ink-testing-library';
import assert from 'node:assert/strict';
import { EngineError } from '../../source/engine/api.js';
import { FakeEngine, summary } from './fake-engine.js';
import { KEYS, renderApp, selectedRow, tick } from './render-helpers.js';

afterEach(() => cleanup());

function engineWith(names: string[]): FakeEngine {
  const engine = new FakeEngine();
  engine.containers = names.map((n) => summary(n));
  return engine;
}

test('the containers pane lists containers with state, resources and uptime', async () => {
  const engine = engineWith(['web', 'db']);
  engine.containers.push(summary('job', 'exited', { exitCode: 3 }), summary('cache', 'paused'));
  const app = renderApp(engine);
  const screen = await app.waitFor('12.5%');
  assert.match(screen, /web\s+demo\/busybox:latest\s+running\s+3 minutes\s+12\.5%\s+5\.0MiB\s+3/);
  assert.match(screen, /job\s+demo\/busybox:latest\s+exited \(3\)/);
  assert.match(screen, /cache\s+.*paused/);
  app.unmount();
});

test('selection stays on the same container when the list changes under it', async () => {
  const engine = engineWith(['b-web', 'c-db', 'd-cache']);
  const app = renderApp(engine);
  await app.waitFor('d-cache');
  await app.type(KEYS.down);
  assert.match(selectedRow(app.raw())!, /^c-db/);
  // Another process adds a container that sorts first and removes one after.
  engine.containers.unshift(summary('a-new'));
  engine.containers = engine.containers.filter((c) => c.name !== 'd-cache');
  engine.emit({ type: 'store-changed', what: 'containers' });
  await app.waitFor((s) => s.includes('a-new') && !s.includes('d-cache'));
  assert.match(selectedRow(app.raw())!, /^c-db/);
  app.unmount();
});

test('500 containers: only a screenful is drawn and the cursor scrolls the window', async () => {
  const engine = engineWith(Array.from({ length: 500 }, (_, i) => `c${String(i).padStart(3, '0')}`));
  const app = renderApp(engine);
  await app.waitFor('c000');
  const lines = app.screen().split('\n');
  assert.ok(lines.length <= 24);
  await app.type('G');
  await app.waitFor('c499');
  assert.ok(!app.screen().includes('c000'));
  assert.match(selectedRow(app.raw())!, /^c499/);
  await app.type('g');
  await app.waitFor('c000');
  app.unmount();
});

test('`/` filters the table as one types; Esc clears the filter', async () => {
  const engine = engineWith(['web-1', 'web-2', 'db']);
  const app = renderApp(engine);
  await app.waitFor('db');
  await app.type('/', 'w', 'e', 'b');
  let screen = await app.waitFor((s) => !s.includes(' db '));
  assert.match(screen, /web-1/);
  assert.match(screen, /web-2/);
  await app.type(KEYS.enter);
  screen = await app.waitFor('filter: web');
  assert.match(screen, /2 of 3/);
  await app.type(KEYS.esc);
  await app.waitFor((s) => s.includes('db') && !s.includes('filter:'));
  app.unmount();
});

test('pause runs the engine call, logs the strata command, and the state shows paused', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine);
  await app.waitFor('running');
  await app.type('p');
  const screen = await app.waitFor('paused');
  assert.deepEqual(engine.calls[0], ['pause', engine.containers[0].id]);
  assert.match(screen, /✓ strata pause web/);
  await app.type('p');
  await app.waitFor((s) => s.includes('strata unpause web') && s.includes('running'));
  app.unmount();
});

test('remove asks first; n cancels, y removes with -f for a running container', async () => {
  const engine = engineWith(['web', 'zz']);
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type('d');
  await app.waitFor('Remove web?');
  await app.type('n');
  await app.waitFor((s) => !s.includes('Remove web?'));
  assert.equal(engine.calls.length, 0);
  await app.type('d', 'y');
  const screen = await app.waitFor((s) => !/^web /m.test(s) && s.includes('strata rm -f web'));
  assert.ok(screen.includes('zz'));
  app.unmount();
});

test('an engine error shows in the status bar; the app keeps running', async () => {
  const engine = engineWith(['web']);
  engine.failNext = new EngineError('cannot stop web: permission denied', 'internal');
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type('x');
  const screen = await app.waitFor('error:');
  assert.match(screen, /error: strata stop web: cannot stop web: permission denied/);
  assert.match(screen, /✗ strata stop web/);
  await app.type(KEYS.down);
  assert.match(app.screen(), /web/);
  app.unmount();
});

test('rename opens a prompt with the name and renames', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type('n', KEYS.backspace, KEYS.backspace, KEYS.backspace, 'a', 'p', 'i', KEYS.enter);
  await app.waitFor('strata rename web api');
  await app.waitFor(/api\s+demo/.test.bind(/api\s+demo/));
  app.unmount();
});

test('? shows the help of the current pane; Esc closes it', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type('?');
  let screen = await app.waitFor('Keys');
  assert.match(screen, /pause\/unpause/);
  await app.type(KEYS.esc, '3', '?');
  screen = await app.waitFor('timestamps on/off');
  assert.match(screen, /show only matching lines/);
  await app.type(KEYS.esc);
  await app.waitFor((s) => !s.includes('Keys'));
  app.unmount();
});

test('digits and Tab move between panes; inspect shows scrollable JSON', async () => {
  const engine = engineWith(['web']);
  engine.images = [{ id: 'sha256:' + 'b'.repeat(64), repoTags: ['demo/busybox:latest'], repoDigests: [], created: new Date().toISOString(), size: 2_400_000, layers: 1 }];
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type('2');
  let screen = await app.waitFor('REPOSITORY:TAG');
  assert.match(screen, /demo\/busybox:latest\s+bbbbbbbbbbbb\s+2\.3MiB/);
  await app.type(KEYS.tab);
  await app.waitFor('logs web');
  await app.type(KEYS.tab, KEYS.tab);
  await app.waitFor('NAME↑');
  await app.type('i');
  screen = await app.waitFor('strata inspect web');
  assert.match(screen, /"name": "web"/);
  await app.type(KEYS.esc);
  await app.waitFor((s) => !s.includes('strata inspect'));
  app.unmount();
});

test('run from the images pane: a form, the engine call, the strata run command', async () => {
  const engine = engineWith([]);
  engine.images = [{ id: 'sha256:' + 'b'.repeat(64), repoTags: ['demo/busybox:latest'], repoDigests: [], created: new Date().toISOString(), size: 1, layers: 1 }];
  const app = renderApp(engine, { initialPane: 'images' });
  await app.waitFor('demo/busybox');
  await app.type('R');
  await app.waitFor('Run demo/busybox:latest');
  await app.type('w', 'e', 'b', KEYS.enter, 's', 'l', 'e', 'e', 'p', ' ', '9', KEYS.enter, 'A', '=', '1', KEYS.enter);
  await app.waitFor('strata run -d --name web -e A=1 demo/busybox:latest sleep 9');
  await app.waitFor((s) => /web\s+demo\/busybox:latest\s+running/.test(s)); // back on the containers pane
  assert.match(selectedRow(app.raw())!, /^web/);
  assert.deepEqual(engine.calls[0], ['run', { image: 'demo/busybox:latest', name: 'web', cmd: ['sleep', '9'], env: ['A=1'] }]);
  app.unmount();
});

test('logs: live lines arrive, stderr marked, search counts matches, & filters, follow toggles', async () => {
  const engine = engineWith(['web']);
  engine.log('web', ['first line', 'second line', ...Array.from({ length: 30 }, (_, i) => `filler ${i}`)]);
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type(KEYS.enter);
  await app.waitFor('filler 29');
  engine.log('web', ['boom happened'], 'stderr');
  engine.log('web', ['third line']);
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
  engine.log('web', ['while paused']);
  await tick(100);
  assert.ok(!app.screen().includes('while paused'));
  await app.type('G');
  await app.waitFor('while paused');
  await app.type('t');
  await app.waitFor(/\d\d:\d\d:\d\d\.\d{3} while paused/.test.bind(/\d\d:\d\d:\d\d\.\d{3} while paused/));
  app.unmount();
});

test('a log of 20k lines a second stays bounded and redraws at most ~30 times a second', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine);
  await app.waitFor('web');
  await app.type(KEYS.enter);
  await app.waitFor('logs web');
  const framesBefore = app.frames.length;
  const started = Date.now();
  for (let burst = 0; burst < 20; burst++) {
    engine.log('web', Array.from({ length: 1000 }, (_, i) => `burst ${burst} line ${i}`));
    await tick(50);
  }
  const elapsed = Date.now() - started;
  await app.waitFor('burst 19 line 999');
  assert.match(app.screen(), /line 10000\/10000/); // the ring buffer's bound
  const frames = app.frames.length - framesBefore;
  assert.ok(frames <= (elapsed / 1000) * 40 + 5, `${frames} frames in ${elapsed} ms`);
  app.unmount();
});

test('stats pane: sparklines and the process list of the selected container', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine, { initialPane: 'stats', refreshMs: 250 });
  const screen = await app.waitFor((s) => s.includes('sh -c while') && s.includes('▂▂'));
  assert.match(screen, /web\s+12\.5%/);
  assert.match(screen, /processes in web/);
  assert.match(screen, /4242/);
  app.unmount();
});

test('no stats are sampled while no pane shows running containers', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine, { initialPane: 'images', refreshMs: 250 });
  await app.waitFor('REPOSITORY');
  await tick(700);
  assert.equal(engine.statsCalls, 0);
  await app.type('1');
  await app.waitFor('12.5%');
  assert.ok(engine.statsCalls > 0);
  app.unmount();
});

test('NO_COLOR: no colour escapes, the selection still shows in inverse video', async () => {
  const engine = engineWith(['web']);
  const app = renderApp(engine, { env: { NO_COLOR: '1' } });
  await app.waitFor('12.5%');
  assert.ok(!/\x1b\[3[0-9]m|\x1b\[9[0-7]m/.test(app.raw()), 'no foreground colours');
  assert.match(selectedRow(app.raw())!, /^web/);
  app.unmount();
});

test('shell: hands the terminal over and reports when it is back', async () => {
  const engine = engineWith(['web']);
  const handedOver: string[] = [];
  const terminal = { handOver: async <T,>(run: () => Promise<T>) => { handedOver.push('x'); return 0 as T; } };
  const app = renderApp(engine, { terminal });
  await app.waitFor('web');
  await app.type('e');
  const screen = await app.waitFor('shell in web closed');
  assert.equal(handedOver.length, 1);
  assert.match(screen, /strata exec -it web sh/);
  app.unmount();
});
