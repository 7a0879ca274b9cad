// A `strata run` (attached) SIGKILLed around the moment its monitor waits for it to attach: the
// container must never be stranded. Each trial kills the client 0–300 ms after the attach socket
// appears, then `ps` must say something true (running with a sane uptime, exited, or created),
// `stop -t 1` and `rm -f` must work, and no monitor, mount or cgroup may be left.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { mountsUnder } from '../support/test-engine.js';

const skip = cliSkip();
const IMAGE = 'strata-killed/busybox:latest';
const TRIALS = 20;

const store = new CliStore('strata-killed-client-');
const { strata } = store;

function monitorsOf(id: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('strata-shim') && cmdline.includes(id)) out.push(Number(entry));
    } catch { /* gone */ }
  }
  return out;
}

async function attachSocketAppears(dir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.endsWith('.a'))) return true;
    await sleep(2);
  }
  return false;
}

describe('a killed attached client never strands its container', { skip, timeout: 600_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
  });

  // a trial that failed before its own stop/rm leaves a running container (its rootfs mounted): close removes it
  after(() => store.close());

  it(`survives ${TRIALS} kills of \`strata run\` around the attach`, async () => {
    const sockDir = path.join(store.runtimeDir, 'sock');
    for (let trial = 0; trial < TRIALS; trial++) {
      const name = `killed-${trial}`;
      const delay = Math.floor(Math.random() * 300);
      const client = store.spawn(['run', '--name', name, IMAGE, 'sh', '-c', 'echo hi; sleep 100'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => client.on('exit', resolve));
      fs.rmSync(sockDir, { recursive: true, force: true });
      assert.ok(await attachSocketAppears(sockDir, 20_000), `trial ${trial}: no attach socket`);
      await sleep(delay);
      client.kill('SIGKILL');
      await exited;
      const context = `trial ${trial} (killed ${delay} ms after the socket appeared)`;

      const ps = strata(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Status}}']);
      assert.equal(ps.status, 0, explain(ps));
      assert.match(ps.stdout.trim(), /^(Up (Less than a second|1 second|\d+ seconds)|Exited \(\d+\) .+ ago|Created)$/, `${context}: ${ps.stdout}`);
      const id = strata(['inspect', '--format', '{{.Id}}', name]).stdout.trim();
      assert.match(id, /^[0-9a-f]{64}$/, context);

      const stop = strata(['stop', '-t', '1', name]);
      assert.equal(stop.status, 0, `${context}: ${explain(stop)}`);
      const stopped = strata(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Status}}']);
      assert.match(stopped.stdout.trim(), /^(Exited \(\d+\) .+ ago|Created)$/, `${context}: after stop: ${stopped.stdout}`);
      const rm = strata(['rm', '-f', name]);
      assert.equal(rm.status, 0, `${context}: ${explain(rm)}`);

      for (let i = 0; i < 300 && monitorsOf(id).length > 0; i++) await sleep(10);
      assert.deepEqual(monitorsOf(id), [], `${context}: a monitor is left`);
      assert.deepEqual(mountsUnder(path.join(store.root, 'containers', id)), [], `${context}: a mount is left`);
      for (const dir of Object.values(cgroupPathsFor(id))) assert.ok(!fs.existsSync(dir), `${context}: cgroup left: ${dir}`);
    }
  });
});
