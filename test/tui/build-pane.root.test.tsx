// The build pane on a real engine: a build started from the pane's form, its steps, output and ending.
import './force-color.js';
import { after, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { KEYS, renderApp } from './render-helpers.js';

describe('build pane on a real engine', () => {
  let t: TestEngine;
  let context: string;
  before(async () => {
    t = await makeTestEngine();
    context = path.join(t.base, 'ctx');
    fs.mkdirSync(context);
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM test/busybox:latest\nRUN echo hello\nCOPY greeting.txt /greeting.txt\n');
    fs.writeFileSync(path.join(context, 'greeting.txt'), 'hi\n');
  });
  after(async () => {
    cleanup();
    await t.cleanup();
  });

  it('builds from the form, shows the steps, the output and the tag, then a rebuild hits the cache', async () => {
    const app = renderApp(t.engine, { initialPane: 'build' });
    await app.waitFor('no build yet');
    assert.match(app.screen(), /b build an image/);
    const startBuild = async () => {
      await app.type('b');
      await app.waitFor('Build an image');
      // the form remembers the last values: each field is cleared (Ctrl-U) before typing
      await app.type('\x15', context, KEYS.tab, KEYS.tab, '\x15', 'tui-built:1', KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    };
    await startBuild();
    let screen = await app.waitFor('Successfully tagged', 60_000);
    assert.match(screen, /Step 1\/3 : FROM test\/busybox:latest/);
    assert.match(screen, /Step 2\/3 : RUN echo hello\s+\[done \d+\.\ds\]/);
    assert.match(screen, /│ hello/);
    assert.match(screen, /Step 3\/3 : COPY greeting\.txt \/greeting\.txt\s+\[done/);
    assert.match(screen, /Successfully tagged tui-built:1/);
    const image = await t.engine.inspectImage('tui-built:1');
    assert.match(screen, new RegExp(`Successfully built ${image.id.replace(/^sha256:/, '').slice(0, 12)}`));

    await startBuild();
    screen = await app.waitFor((s) => /Step 3\/3 .*\[CACHED/.test(s) && s.includes('Successfully tagged'), 60_000);
    assert.match(screen, /Step 2\/3 : RUN echo hello\s+\[CACHED/);
    assert.doesNotMatch(screen, /│ hello/);
    app.unmount();
  });

  it('ends a failing build with the failing step and its exit code, from a Dockerfile path', async () => {
    const dockerfile = path.join(t.base, 'Failing.Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM test/busybox:latest\nRUN echo about to fail; exit 3\nRUN echo never\n');
    const app = renderApp(t.engine, { initialPane: 'build' });
    await app.waitFor('no build yet');
    await app.type('b');
    await app.waitFor('Build an image');
    await app.type('\x15', context, KEYS.tab, dockerfile, KEYS.tab, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    const screen = await app.waitFor('failed (exit code', 60_000);
    assert.match(screen, /Step 2\/3 : RUN echo about to fail; exit 3\s+\[FAILED\]/);
    assert.match(screen, /│ about to fail/);
    assert.match(screen, /step 2 failed \(exit code 3\)/);
    assert.doesNotMatch(screen, /Step 3\/3|Successfully/);
    app.unmount();
  });

  it('finds a relative Dockerfile in the context, passes build args, target and no-cache, and remembers the form', async () => {
    fs.mkdirSync(path.join(context, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(context, 'sub', 'Args.Dockerfile'), 'FROM test/busybox:latest AS base\nARG GREETING\nRUN echo "greeting=$GREETING"\nFROM base\nRUN echo never-built\n');
    const app = renderApp(t.engine, { initialPane: 'build' });
    await app.waitFor('no build yet');
    await app.type('b');
    await app.waitFor('Build an image');
    await app.type('\x15', context, KEYS.tab, 'sub/Args.Dockerfile', KEYS.tab, KEYS.tab, 'GREETING=hi', KEYS.tab, 'base', KEYS.tab, 'y', KEYS.enter);
    const screen = await app.waitFor('Successfully built', 60_000);
    assert.match(screen, /│ greeting=hi/);
    assert.doesNotMatch(screen, /never-built/);
    assert.match(screen, /--build-arg GREETING=hi --target/);
    assert.match(screen, new RegExp(`-f ${path.join(context, 'sub', 'Args.Dockerfile').replace(/[./]/g, '\\$&')}`));
    // the form remembers every field: Enter through them builds the same again, and no-cache reruns the step
    await app.type('b');
    const form = await app.waitFor('Build an image');
    assert.ok(form.includes(context), `the context is remembered:\n${form}`);
    await app.type(KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter, KEYS.enter);
    const again = await app.waitFor((text) => (text.match(/✓ strata build -f/g) ?? []).length === 2, 60_000);
    assert.match(again, /Step 3\/3 : RUN echo "greeting=\$GREETING"\s+\[done/);
    assert.match(again, /│ greeting=hi/);
    app.unmount();
  });
});
