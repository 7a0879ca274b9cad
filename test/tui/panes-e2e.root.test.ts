// `strata` (the built CLI, no verb) in a real pseudo-terminal on a real store: actions on many
// marked rows, the volumes and networks panes following another process, the inspect overlay
// showing what `strata inspect` prints and searching it, and the containers pane's tools.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startRegistry } from '../engine/registry/registry-server.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

// Stops at once on SIGTERM (a plain `sleep` as PID 1 ignores it and waits for the kill).
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done'];

describe('the TUI panes end to end', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;
  const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { encoding: 'utf8' });
  const run = (name: string) => t.engine.runContainer({ image: IMAGE, name, cmd: IDLE, network: 'none' });
  const quit = async (s: PtyScreen) => {
    await s.press('q');
    await s.exited;
  };

  before(async () => {
    t = await makeTestEngine();
  });
  afterEach(async () => {
    screen?.kill();
    screen = undefined;
    for (const c of await t.engine.listContainers(true)) await t.engine.removeContainer(c.id, true).catch(() => undefined);
  });
  after(async () => {
    await t.cleanup();
  });

  for (const [cols, rows] of [[80, 24], [220, 60]]) {
    it(`space marks three containers; x stops those three after one question naming how many (${cols}x${rows})`, async () => {
      for (const name of ['alpha', 'bravo', 'charlie', 'delta']) await run(name);
      screen = openStrataTui(t.root, t.runtimeDir, { cols, rows });
      const s = screen;
      await s.waitFor(/delta\s+test\/bu\S*\s+running/, 20_000);
      await s.press(' ', ' ', ' ');
      await s.waitFor('3 marked');
      assert.match(s.text(), /\+ alpha\s/);
      assert.match(s.text(), /\+ charlie\s/);
      assert.doesNotMatch(s.text(), /\+ delta/);

      // Marks outlive a filter that hides some of them.
      await s.press('/', 'd', 'e', 'l', 't', '\r'); // not hex: no container id starts with it
      await s.waitFor('filter: delt');
      await s.waitFor((text) => !/alpha\s+test/.test(text));
      assert.match(s.text(), /3 marked/);
      await s.press('\x1b');
      await s.waitFor(/alpha\s+test\/bu/);

      await s.press('x');
      await s.waitFor('Stop 3 containers (alpha, bravo, charlie)?');
      await s.press('y');
      await s.waitFor('✓ strata stop alpha bravo charlie', 30_000);
      for (const name of ['alpha', 'bravo', 'charlie']) assert.equal((await t.engine.inspectContainer(name)).state.running, false, `${name} stopped`);
      assert.equal((await t.engine.inspectContainer('delta')).state.running, true, 'delta, not marked, still runs');
      await s.waitFor(/\+ alpha\s+test\/bu\S*\s+exited/);

      // One marked container removed elsewhere loses its mark; M unmarks the rest.
      cli('rm', 'bravo');
      await s.waitFor('2 marked');
      await s.press('M');
      await s.waitFor((text) => !text.includes('marked'));
      await quit(s);
    });
  }

  it('the volumes and networks panes follow the CLI in another process, and say which containers use each', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor('NAME', 20_000);
    await s.press('7');
    await s.waitFor('VOLUME NAME');
    cli('volume', 'create', 'shared-data');
    await s.waitFor(/shared-data\s+local/, 2000);
    await t.engine.runContainer({ image: IMAGE, name: 'user1', cmd: IDLE, network: 'none', mounts: [{ type: 'volume', source: 'shared-data', target: '/data' }] });
    await s.waitFor(/shared-data\s+local\s+.*user1/);

    // c creates one from the TUI; d removes it (asked first).
    await s.press('c');
    await s.waitFor('create volume');
    await s.press('made-here', '\r');
    await s.waitFor(/made-here\s+local/);
    assert.ok((await t.engine.listVolumes()).some((v) => v.name === 'made-here'));
    await s.press('G');
    await s.press('d');
    await s.waitFor('Remove volume shared-data? It is used by user1.');
    await s.press('n');
    await s.press('g', 'd');
    await s.waitFor('Remove volume made-here?');
    await s.press('y');
    await s.waitFor((text) => !text.includes('made-here  '), 5000);
    assert.ok(!(await t.engine.listVolumes()).some((v) => v.name === 'made-here'));

    await s.press('8');
    await s.waitFor('NETWORK ID');
    await s.waitFor(/none\s+null\s+-\s+user1/);
    cli('network', 'create', 'backend');
    await s.waitFor(/backend\s+bridge\s+\d+\.\d+\.\d+\.\d+\/\d+/, 2000);
    await s.press('P');
    await s.waitFor('Remove 1 network(s) no container is on (backend)?');
    await s.press('y');
    await s.waitFor('pruned 1 network(s)');
    await s.waitFor((text) => !/backend\s+bridge/.test(text));
    await quit(s);
    await t.engine.removeContainer('user1', true);
    await t.engine.removeVolume('shared-data');
  });

  it('inspect shows what strata inspect prints, and / finds text in it (n goes on)', async () => {
    await run('looked-at');
    const printed = JSON.parse(cli('inspect', 'looked-at')) as Array<{ Id: string; Config: { Cmd: string[] } }>;
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor(/looked-at\s+test\/busybox/, 20_000);
    await s.press('i');
    await s.waitFor('strata inspect looked-at');
    const shown = s.text();
    assert.match(shown, /^\s*│?\s*\[\s*│?\s*$/m, 'a JSON array, as the CLI prints');
    assert.ok(shown.includes(`        "Id": "${printed[0].Id}",`), `docker's Id, indented by 4 inside the array:\n${shown}`);
    await s.press('/', 'H', 'o', 's', 't', 's', 'P', 'a', 't', 'h');
    await s.waitFor(/"HostsPath": "/);
    await s.waitFor(/1\/1 matching line/);
    await s.press('\r');
    await s.press('/', 'p', 'a', 't', 'h', '\r');
    // The whole query typed (each key before it searched for less of it).
    const first = await s.waitFor(/\/path\s+(\d+)\/(\d+) matching lines/);
    const [, at, total] = /\/path\s+(\d+)\/(\d+) matching lines/.exec(first)!;
    assert.ok(Number(total) > 3, 'several lines hold "path" (smart case ignores case)');
    const wrap = (k: number) => ((k - 1 + Number(total)) % Number(total)) + 1;
    await s.press('n');
    await s.waitFor(`${wrap(Number(at) + 1)}/${total} matching lines`);
    await s.press('N', 'N');
    await s.waitFor(`${wrap(Number(at) - 1)}/${total} matching lines`);
    await s.press('\x1b', '\x1b');
    await s.waitFor(/looked-at\s+test\/busybox/);
    await quit(s);
  });

  it('copies the id, runs a typed command, commits, and sorts stats', async () => {
    const { record } = await run('tooled');
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor(new RegExp(`tooled\\s+test/busybox:latest\\s+running.*${record.id.slice(0, 12)}`), 20_000);
    await s.press('y');
    await s.waitFor(`copied the id of tooled: ${record.id.slice(0, 12)}`);
    assert.ok(s.raw.includes(`\x1b]52;c;${Buffer.from(record.id).toString('base64')}\x07`), 'OSC 52 with the full id');

    await s.press('E');
    await s.waitFor('exec in tooled:');
    await s.press("sh -c 'echo out-$((6*7)); echo err >&2; exit 3'", '\r');
    await s.waitFor('(exit 3)', 10_000);
    await s.waitFor('out-42');
    assert.match(s.text(), /err/);
    await s.press('\x1b');

    // e opens bash where the container has one (here a stand-in that runs sh), else sh, in a pane.
    const { handle } = await t.engine.exec('tooled', { cmd: ['sh', '-c', 'printf "#!/bin/sh\\nPS1=bash-here# exec sh \\"\\$@\\"\\n" > /bin/bash && chmod +x /bin/bash'] }, 'pipe');
    assert.equal(await handle.exited, 0);
    await s.press('e');
    await s.waitFor('bash-here#', 10_000);
    await s.waitFor('✓ strata exec -it tooled bash', 10_000);
    s.write('exit\r');
    await s.waitFor('shell in tooled exited', 10_000);

    await s.press('c');
    await s.waitFor('Commit tooled as');
    await s.press('committed/tooled:v1', '\r');
    await s.waitFor('committed tooled as committed/tooled:v1', 20_000);
    assert.ok((await t.engine.listImages()).some((i) => i.repoTags.includes('committed/tooled:v1')));

    // L opens the container (its upper layer over the image's) in the layer explorer; /bin/bash is there.
    await s.press('L');
    await s.waitFor('container tooled  ·', 10_000);
    await s.press('1');
    await s.waitFor(/tooled\s+test\/busybox/);

    await s.press('4');
    await s.waitFor(/NAME↑/);
    await s.press('o');
    await s.waitFor(/CPU %↓/);
    await s.press('o');
    await s.waitFor(/MEM↓/);
    await s.press('o');
    await s.waitFor(/NET I\/O↓/);
    await quit(s);
    await t.engine.removeContainer('tooled', true);
    await t.engine.removeImage('committed/tooled:v1');
  });

  it('u pushes an image under another name to a registry, with per-layer progress', async () => {
    const registry = await startRegistry();
    const ref = `${registry.host}/tui/pushed:v1`;
    try {
      screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
      const s = screen;
      await s.waitFor('NAME', 20_000);
      await s.press('2');
      await s.waitFor(/test\/busybox:latest\s+[0-9a-f]{12}/);
      await s.press('u');
      await s.waitFor(`push: ${IMAGE}`);
      await s.press('\x15', ref, '\r'); // Ctrl-U clears the name offered
      const done = await s.waitFor('✓ strata push', 30_000);
      assert.ok(done.includes(`pushing ${ref}`), `the progress bars' title:\n${done}`);
      assert.match(done, /[0-9a-f]{12}\s+(Pushed|Layer already exists)/);
      assert.match(done, /✓ strata tag test\/busybox:latest/);
      const manifest = await fetch(`http://${registry.host}/v2/tui/pushed/manifests/v1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
      assert.equal(manifest.status, 200, 'the registry has it');
      await quit(s);
    } finally {
      await registry.stop();
      await t.engine.removeImage(ref).catch(() => undefined);
    }
  });
});
