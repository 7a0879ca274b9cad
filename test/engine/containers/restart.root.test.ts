// Restart policies, applied by the container's monitor: docker's back-off, RestartCount, the
// "Restarting" state between runs, on-failure's limit, the user's stop, and `system boot`.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../../source/engine/engine.js';
import type { ContainerRecord } from '../../../source/engine/api.js';
import { cgroupPids } from '../../../source/engine/runtime/cgroups.js';
import { hostVethName } from '../../../source/engine/network/sandbox.js';
import { until } from '../../support/until.js';
import { IMAGE, makeTestEngine, mountsUnder, type TestEngine } from '../../support/test-engine.js';

/** Pids of the processes whose command line names this container (its monitor). */
function processesNaming(id: string): string[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(id); } catch { return false; }
  });
}

/**
 * A monitor's open files: what it keeps for its whole life (signalfd, attach socket, log, exit
 * reserve) by target, and how many pipes (the current run's stdio). A temp file it is writing
 * a state file through at that instant is neither.
 */
function monitorFds(pid: number): { kept: string[]; pipes: number } {
  const targets = fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try { return `${fd} ${fs.readlinkSync(`/proc/${pid}/fd/${fd}`)}`; } catch { return ''; }
  });
  return {
    kept: targets.filter((t) => t && !t.includes(' pipe:') && !/\.tmp\d+$/.test(t)).sort(),
    pipes: targets.filter((t) => t.includes(' pipe:')).length,
  };
}

// This process's open fds, less libuv's inotify instance: made at the first fs.watch and kept
// for the life of the event loop, whatever is watched.
function openFds(): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try { return fs.readlinkSync(`/proc/self/fd/${fd}`) !== 'anon_inode:inotify'; } catch { return false; }
  }).length;
}

describe('restart policies', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  const inspect = (ref: string) => t.engine.inspectContainer(ref);

  it('restarts an always container within the first back-off and counts the restarts', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'always', cmd: ['sh', '-c', 'exit 1'], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await t.engine.startContainer(c.id);
    const started = Date.now();
    await until('the first restart', 2000, async () => ((await inspect('always')).restartCount >= 1 ? true : undefined));
    assert.ok(Date.now() - started < 2000);
    await until('more restarts', 5000, async () => ((await inspect('always')).restartCount >= 3 ? true : undefined));
    const seen = new Set<string>();
    await until('the restarting state', 5000, async () => {
      const r = await inspect('always');
      seen.add(r.state.status);
      return r.state.status === 'restarting' ? r : undefined;
    });
    const listed = (await t.engine.listContainers(true)).find((s) => s.name === 'always')!;
    assert.ok(listed.status === 'restarting' || listed.status === 'running', listed.status);
    await t.engine.removeContainer('always', true);
  });

  it('on-failure:2 stops after two restarts with the last exit code', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'onfail', cmd: ['sh', '-c', 'exit 3'], restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } });
    await t.engine.startContainer(c.id);
    const r = await until('the final exit', 5000, async () => {
      const rec = await inspect('onfail');
      return rec.state.status === 'exited' ? rec : undefined;
    });
    assert.equal(r.restartCount, 2);
    assert.equal(r.state.exitCode, 3);
    await sleep(500); // nothing restarts it afterwards
    assert.equal((await inspect('onfail')).state.status, 'exited');
    await t.engine.removeContainer('onfail', true);
  });

  it('on-failure does not restart a container that exited 0', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'onfail0', cmd: ['true'], restartPolicy: { name: 'on-failure', maximumRetryCount: 0 } });
    await t.engine.startContainer(c.id);
    assert.equal(await t.engine.waitContainer('onfail0'), 0);
    await sleep(400);
    const r = await inspect('onfail0');
    assert.equal(r.state.status, 'exited');
    assert.equal(r.restartCount, 0);
    await t.engine.removeContainer('onfail0', true);
  });

  it('stop on an always container stops it for good', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'stopme', cmd: ['sleep', '30'], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await t.engine.startContainer(c.id);
    await t.engine.stopContainer('stopme', 1);
    await sleep(500);
    const r = await inspect('stopme');
    assert.equal(r.state.status, 'exited');
    assert.equal(r.restartCount, 0);
    assert.equal(r.state.running, false);
    await t.engine.removeContainer('stopme', true);
  });

  it('stop during the back-off ends the restarts', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'stopwait', cmd: ['sh', '-c', 'exit 2'], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await t.engine.startContainer(c.id);
    await until('a back-off', 5000, async () => ((await inspect('stopwait')).state.status === 'restarting' ? true : undefined));
    await t.engine.stopContainer('stopwait', 1);
    const r = await inspect('stopwait');
    assert.equal(r.state.status, 'exited');
    const count = r.restartCount;
    await sleep(1000);
    assert.equal((await inspect('stopwait')).restartCount, count);
    await t.engine.removeContainer('stopwait', true);
  });

  it('20 restarts of an always container on the bridge pile nothing up, and rm -f leaves nothing behind', async () => {
    // a second engine on the same store with a short back-off: docker's doubling would take minutes
    const quick = new Engine({ root: t.root, runtimeDir: t.runtimeDir, restartBackoff: { firstMs: 5, maxMs: 20 } });
    const ourFds = openFds();
    const c = await quick.createContainer({ image: IMAGE, name: 'churn', cmd: ['sh', '-c', 'sleep 0.3; exit 1'], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await quick.startContainer(c.id);
    const containerDir = path.join(t.root, 'containers', c.id);
    const runDir = path.join(t.runtimeDir, 'containers', c.id);
    // what one restart holds: the monitor's fds, mounts, processes naming the container
    const held = async (count: number) => {
      const record = await until(`restart ${count}`, 30_000, async () => {
        const r = await quick.inspectContainer('churn');
        return r.restartCount >= count && r.state.status === 'running' ? r : undefined;
      });
      return { record, fds: monitorFds(record.state.shimPid), mounts: [...mountsUnder(containerDir), ...mountsUnder(runDir)].sort(), named: processesNaming(c.id).length };
    };
    const first = await held(1);
    const twentieth = await held(20);
    assert.equal(twentieth.record.state.shimPid, first.record.state.shimPid, 'one monitor for every run');
    assert.deepEqual(twentieth.fds.kept, first.fds.kept, "the monitor's own fds changed");
    assert.ok(twentieth.fds.pipes <= 4, `${twentieth.fds.pipes} pipes: a run has its stdin, stdout, stderr and sync pipe`);
    assert.deepEqual(twentieth.mounts, first.mounts, 'mounts piled up between runs');
    assert.equal(twentieth.named, first.named, 'processes piled up between runs');
    const veth = hostVethName(c.id);
    assert.ok(fs.existsSync(`/sys/class/net/${veth}`), 'on the bridge: its veth is there while it runs');
    const { cgroupPaths, networkSettings } = twentieth.record;
    assert.ok(networkSettings?.sandboxKey, 'a network namespace of its own');

    await quick.removeContainer('churn', true);
    await quick.close();
    for (const dir of Object.values(cgroupPaths)) assert.ok(!fs.existsSync(dir), `cgroup left: ${dir}`);
    assert.deepEqual(cgroupPids(cgroupPaths), []);
    assert.deepEqual(mountsUnder(containerDir), []);
    assert.deepEqual(mountsUnder(runDir), []);
    assert.ok(!fs.readFileSync('/proc/self/mounts', 'utf8').includes(networkSettings.sandboxKey), 'the netns stays bound');
    assert.ok(!fs.existsSync(`/sys/class/net/${veth}`), `veth left: ${veth}`);
    assert.deepEqual(processesNaming(c.id), [], 'a monitor left');
    assert.ok(!fs.existsSync(containerDir) && !fs.existsSync(runDir), 'its directories left');
    // the engine's own fds (watchers, locks, sockets): the same number as before the container
    await until('our fds back to where they were', 5000, async () => (openFds() <= ourFds ? true : undefined));
  });

  it('system boot starts an always container that ran before the machine restarted', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'booted', cmd: ['sleep', '30'], restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    const stopped = await t.engine.createContainer({ image: IMAGE, name: 'unless', cmd: ['sleep', '30'], restartPolicy: { name: 'unless-stopped', maximumRetryCount: 0 } });
    for (const [id, manual] of [[c.id, false], [stopped.id, true]] as const) {
      const file = path.join(t.root, 'containers', id, 'container.json');
      const record = JSON.parse(fs.readFileSync(file, 'utf8'));
      Object.assign(record.state, { status: 'running', running: true, pid: 999_999, shimPid: 999_998 });
      record.bootId = '00000000-0000-0000-0000-000000000000';
      record.manuallyStopped = manual;
      fs.writeFileSync(file, JSON.stringify(record));
    }
    const result = await t.engine.bootContainers();
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.started, [c.id]);
    assert.equal((await inspect('booted')).state.status, 'running');
    assert.equal((await inspect('unless')).state.status, 'exited');
    await t.engine.removeContainer('booted', true);
    await t.engine.removeContainer('unless', true);
  });
});
