// A `strata run` (attached) SIGKILLed around the moment its monitor waits for it to attach: the
// container must never be stranded. Each trial kills the client 0–300 ms after the attach socket
// appears, then `ps` must say something true (running with a sane uptime, exited, or created),
// `stop -t 1` and `rm -f` must work, and no monitor, mount or cgroup may be left.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { mountsUnder, releaseNetworksUnder } from '../support/test-engine.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/strata.js');
const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'needs root' : !fs.existsSync(cli) ? 'dist/strata.js is not built' : false;
const IMAGE = 'strata-killed/busybox:latest';
const TRIALS = 20;

let workDir = '';
let root = '';
let runtimeDir = '';

function cliArgs(args: string[]): string[] {
  return [cli, '--root', root, '--runtime-dir', runtimeDir, ...args];
}

function strata(args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, cliArgs(args), { encoding: 'utf8', input: '', timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

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
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-killed-client-'));
    root = path.join(workDir, 'root');
    runtimeDir = path.join(workDir, 'run');
    const tarFile = path.join(workDir, 'busybox.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(tarFile));
    const imported = strata(['import', tarFile, IMAGE, '-c', 'CMD ["sh"]']);
    assert.equal(imported.status, 0, explain(imported));
  });

  after(async () => {
    if (!workDir) return;
    // a trial that failed before its own stop/rm leaves a running container (its rootfs mounted)
    for (const id of strata(['ps', '-aq', '--no-trunc']).stdout.split('\n').filter(Boolean)) strata(['rm', '-f', id]);
    await releaseNetworksUnder(workDir);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it(`survives ${TRIALS} kills of \`strata run\` around the attach`, async () => {
    const sockDir = path.join(runtimeDir, 'sock');
    for (let trial = 0; trial < TRIALS; trial++) {
      const name = `killed-${trial}`;
      const delay = Math.floor(Math.random() * 300);
      const client = spawn(process.execPath, cliArgs(['run', '--name', name, IMAGE, 'sh', '-c', 'echo hi; sleep 100']), { stdio: 'ignore' });
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
      assert.deepEqual(mountsUnder(path.join(root, 'containers', id)), [], `${context}: a mount is left`);
      for (const dir of Object.values(cgroupPathsFor(id))) assert.ok(!fs.existsSync(dir), `${context}: cgroup left: ${dir}`);
    }
  });
});
