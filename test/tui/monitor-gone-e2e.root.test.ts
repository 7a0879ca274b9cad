// A container whose monitor (strata-shim) is SIGKILLed while it runs, seen in the TUI (the built
// CLI in a real pty, on a real store): its row says so by itself (no key pressed), in the words
// `strata ps` prints; inspect shows the engine's reason; stop, restart and remove from the pane
// kill what is left in its cgroups and clean up, as the CLI's verbs do.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parsePidFile } from '../../source/engine/runtime/monitor-protocol.js';
import { cgroupPids } from '../../source/engine/runtime/cgroups.js';
import { IMAGE, makeTestEngine, mountsUnder, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui, repo } from './strata-tui.js';

// Uses no CPU at all (an idle container's stats are read from two files, its record not looked
// up), and stops at once on SIGTERM (a plain `sleep` as PID 1 ignores it).
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 100000 & wait'];

// A zombie counts as gone: whoever reaps reparented processes (pid 1) is no part of this.
function alive(pid: number): boolean {
  try { return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the TUI on a container whose monitor died', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;
  const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(repo, 'dist/strata.js'), '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { encoding: 'utf8' });

  /** SIGKILLs the monitor the container's runtime files name (a shim this test started, and only it). */
  async function killMonitor(name: string): Promise<{ shimPid: number; pids: number[]; cgroupPaths: Record<string, string> }> {
    const record = await t.engine.inspectContainer(name);
    const { shimPid } = parsePidFile(fs.readFileSync(path.join(t.runtimeDir, 'containers', record.id, 'pid'), 'utf8'));
    assert.equal(shimPid, record.state.shimPid, 'the runtime files and the record name the same monitor');
    assert.match(fs.readFileSync(`/proc/${shimPid}/cmdline`, 'utf8'), new RegExp(`strata-shim.*${record.id}`));
    process.kill(shimPid, 'SIGKILL');
    await until(() => !alive(shimPid), `monitor ${shimPid} to die`);
    const pids = cgroupPids(record.cgroupPaths);
    assert.ok(pids.length > 0, 'the container\'s processes run on');
    return { shimPid, pids, cgroupPaths: record.cgroupPaths };
  }

  function assertCleanedUp(left: { pids: number[]; cgroupPaths: Record<string, string> }, id: string): void {
    for (const pid of left.pids) assert.ok(!alive(pid), `process ${pid} left running`);
    for (const dir of Object.values(left.cgroupPaths)) assert.ok(!fs.existsSync(dir), `cgroup left: ${dir}`);
    assert.deepEqual(mountsUnder(path.join(t.root, 'containers', id)), []);
  }

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
    it(`the row says "no monitor" by itself, inspect says why, and x, r, d clean up as the CLI does (${cols}x${rows})`, async () => {
      // The cursor stays on `alpha`: the selected container's log is followed (which looks at its
      // state too); `orphan` is only a row on screen.
      await t.engine.runContainer({ image: IMAGE, name: 'alpha', cmd: IDLE, network: 'none' });
      const { record } = await t.engine.runContainer({ image: IMAGE, name: 'orphan', cmd: IDLE, network: 'none' });
      screen = openStrataTui(t.root, t.runtimeDir, { cols, rows });
      const s = screen;
      await s.waitFor(/orphan\s+test\/bu\S*\s+running/, 20_000);

      // No key pressed from here until the row changes.
      let left = await killMonitor('orphan');
      await s.waitFor(/orphan\s+test\/bu\S*\s+no mon/, 20_000);
      assert.match(s.text(), /alpha\s+test\/bu\S*\s+running/);
      await s.press('j');
      assert.match(cli('ps', '--format', '{{.Names}} {{.Status}}'), /^orphan Up .+ \(monitor gone\)$/m, 'the CLI says the same');
      if (cols >= 120) assert.match(s.text(), /orphan\s+test\/bu\S*\s+no monitor\s+Up .+ \(monitor gone\)/);

      await s.press('i');
      await s.waitFor('"Id": ');
      await s.press('/', 'strata-shim', '\r');
      await s.waitFor(/"Error": "the container monitor \(strata-shim\) died/);
      await s.press('\x1b', '\x1b');
      await s.waitFor(/orphan\s+test\/bu/);

      // x: stopped, everything left in its groups killed, its root unmounted; it starts again.
      await s.press('x');
      await s.waitFor('✓ strata stop orphan', 30_000);
      await s.waitFor(/orphan\s+test\/bu\S*\s+exited/);
      assertCleanedUp(left, record.id);
      await s.press('s');
      await s.waitFor('✓ strata start orphan', 30_000);
      await s.waitFor(/orphan\s+test\/bu\S*\s+running/);

      // r: restarted with a monitor of its own, the old processes gone.
      left = await killMonitor('orphan');
      await s.waitFor(/orphan\s+test\/bu\S*\s+no mon/, 20_000);
      await s.press('r');
      await s.waitFor('✓ strata restart orphan', 30_000);
      await s.waitFor(/orphan\s+test\/bu\S*\s+running/);
      for (const pid of left.pids) assert.ok(!alive(pid), `process ${pid} left running`);
      const restarted = await t.engine.inspectContainer('orphan');
      assert.equal(restarted.state.error, '');
      assert.ok(restarted.state.shimPid > 0 && restarted.state.shimPid !== left.shimPid && alive(restarted.state.shimPid));

      // d: asked first (it runs), then killed and removed with nothing left behind.
      left = await killMonitor('orphan');
      await s.waitFor(/orphan\s+test\/bu\S*\s+no mon/, 20_000);
      await s.press('d');
      await s.waitFor('Remove orphan? It is running: killed first.');
      await s.press('y');
      await s.waitFor('✓ strata rm -f orphan', 30_000);
      await s.waitFor((text) => !/orphan\s+test\/bu/.test(text));
      assert.ok(!(await t.engine.listContainers(true)).some((c) => c.name === 'orphan'));
      assertCleanedUp(left, record.id);
      await s.press('q');
      await s.exited;
    });
  }
});
