// The SIGKILL matrix: 20 trials each of `run`, `rm -v`, `volume rm`, `commit`, `system prune` /
// `image prune` and `build`, each CLI process killed at an instant spread across the verb's own
// measured duration. After every batch of trials the next strata process (an engine opened as a
// CLI verb opens it) must find the store valid — `system check` clean — and must be able to do
// the verb's follow-up; nothing may be left: no mount under the store, no cgroup or monitor of
// any container the trials made, no temp or half-made entry, no anonymous volume without its
// container. Trials of one verb run a few at a time (their objects are distinct), so the suite
// stays short. A build killed while a RUN step runs leaves its step container for the next strata
// process to remove (never listed). `pull` is the registry suite's (registry.root.test.ts), a kill at rm's rename and
// at create's staging are killed-remove's, and the attach window of `run` is killed-client's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { openEngine } from '../../source/engine/engine.js';
import type { EngineApi } from '../../source/engine/api.js';
import { cgroupPathsFor } from '../../source/engine/runtime/cgroups.js';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { mountsUnder } from '../support/test-engine.js';
import { until } from '../support/until.js';

const skip = cliSkip();
const IMAGE = 'strata-killed-matrix/busybox:latest';
const TRIALS = 20;
const BATCH = 4; // trials of one verb at once

const store = new CliStore('strata-killed-matrix-');
const { strata } = store;
let root = '';
let runtimeDir = '';
const seenIds = new Set<string>(); // every container id the trials made, for the leak checks
let startup = 0; // ms a CLI verb takes to open the store and do nothing much: the kills aim past it

function entries(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

/** Many small files: a rm, volume rm or commit of them takes long enough to be cut in the middle. */
function populate(dir: string, files: number): void {
  for (let d = 0; d < 20; d++) {
    fs.mkdirSync(path.join(dir, `d${d}`), { recursive: true });
    for (let f = d; f < files; f += 20) fs.writeFileSync(path.join(dir, `d${d}`, `f${f}`), `file ${f}\n`);
  }
}

function shimsOf(ids: Set<string>): string[] {
  const out: string[] = [];
  for (const pid of entries('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline = '';
    try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmdline.startsWith('strata-shim')) continue;
    if ([...ids].some((id) => cmdline.includes(id))) out.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return out;
}

/** What a killed process may have left of a half-done job, before the next strata process looks. */
function noteIds(): void {
  for (const name of entries(path.join(root, 'containers'))) {
    const id = /^[0-9a-f]{64}/.exec(name)?.[0];
    if (id) seenIds.add(id);
  }
}

function halfDone(): string[] {
  return [
    ...entries(path.join(root, 'tmp')).map((n) => `tmp/${n}`),
    ...entries(path.join(root, 'layers')).filter((n) => n.startsWith('tmp')).map((n) => `layers/${n}`),
    ...entries(path.join(root, 'containers')).filter((n) => !/^[0-9a-f]{64}$/.test(n) && n !== '.names.lock').map((n) => `containers/${n}`),
    ...entries(path.join(root, 'volumes')).filter((n) => n.startsWith('.')).map((n) => `volumes/${n}`),
  ];
}

interface Verb {
  name: string;
  batch?: number; // trials at once (BATCH): 1 where the verb's runs would only queue on one lock
  /** Makes what trial `t` acts on (with the engine of the previous check); returns the CLI arguments. */
  prepare(engine: EngineApi, t: number): Promise<string[]>;
  /** With a fresh engine after the kill: the verb's follow-up, its invariants, and room for the next batch. */
  settle(engine: EngineApi, t: number): Promise<void>;
}

async function withEngine<T>(fn: (engine: EngineApi) => Promise<T>): Promise<T> {
  const engine = await openEngine({ root, runtimeDir });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** The next strata process after a batch of kills: the store valid, nothing stranded or left. */
async function afterKills(verb: Verb, trials: number[]): Promise<void> {
  noteIds();
  await withEngine(async (engine) => {
    for (const t of trials) await verb.settle(engine, t);
    assert.deepEqual(await engine.check(), [], `${verb.name}, trials ${trials.join(',')}: system check`);
    // no anonymous volume without a container to use it
    const used = new Set((await Promise.all((await engine.listContainers(true)).map((c) => engine.inspectContainer(c.id))))
      .flatMap((r) => (r.mounts ?? []).flatMap((m) => (m.name ? [m.name] : []))));
    const orphans = (await engine.listVolumes()).filter((v) => v.anonymous && !used.has(v.name)).map((v) => v.name);
    assert.deepEqual(orphans, [], `${verb.name}, trials ${trials.join(',')}: anonymous volumes nobody uses`);
  });
  assert.deepEqual(halfDone(), [], `${verb.name}, trials ${trials.join(',')}: left half done`);
  const running = new Set((await withEngine((e) => e.listContainers(false))).map((c) => c.id));
  // a running container's own root and what the monitor mounts below it are its
  const stray = () => mountsUnder(root).filter((m) => ![...running].some((id) => m.startsWith(path.join(root, 'containers', id, 'merged'))));
  await until(`the mounts under the store gone (${verb.name})`, 30_000, async () => (stray().length === 0 ? true : undefined))
    .catch(() => assert.deepEqual(stray(), [], `${verb.name}: mounts left`));
  const stopped = new Set([...seenIds].filter((id) => !running.has(id)));
  // a run killed between spawning the monitor and its pid file leaves a monitor its record does not
  // name: it gives up on its own once its attach deadline (10 s) passes and it finds no container
  await until(`the monitors of stopped or removed containers gone (${verb.name})`, 30_000, async () => (shimsOf(stopped).length === 0 ? true : undefined))
    .catch(() => assert.deepEqual(shimsOf(stopped), [], `${verb.name}: monitors of stopped or removed containers`));
  for (const id of stopped) {
    for (const dir of Object.values(cgroupPathsFor(id))) assert.ok(!fs.existsSync(dir), `${verb.name}: cgroup left: ${dir}`);
  }
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = store.spawnPiped(args);
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

/** How long the verb takes uncut, from the CLI's spawn to its exit, in a batch as the trials run (trial numbers past TRIALS). */
async function measure(verb: Verb): Promise<number> {
  const trials = Array.from({ length: verb.batch ?? BATCH }, (_, i) => TRIALS + 1 + i);
  const args = await withEngine(async (engine) => {
    const out: string[][] = [];
    for (const t of trials) out.push(await verb.prepare(engine, t));
    return out;
  });
  const started = Date.now();
  const took = await Promise.all(args.map(async (a) => {
    const r = await run(a);
    assert.equal(r.code, 0, r.output);
    return Date.now() - started;
  }));
  await afterKills(verb, trials);
  return Math.max(...took);
}

/** Spawns the verb and SIGKILLs it after delayMs: whether the kill landed before it was done, or how long it took. */
async function killedAfter(args: string[], delayMs: number): Promise<{ landed: boolean; tookMs: number }> {
  const started = Date.now();
  const child = store.spawn(args, { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await sleep(delayMs);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const landed = (await exited) === 'SIGKILL';
  return { landed, tookMs: Date.now() - started };
}

async function matrix(verb: Verb): Promise<void> {
  let took = await measure(verb);
  let landed = 0;
  const batch = verb.batch ?? BATCH;
  for (let first = 0; first < TRIALS; first += batch) {
    const trials = Array.from({ length: Math.min(batch, TRIALS - first) }, (_, i) => first + i);
    const args = await withEngine(async (engine) => {
      const out: string[][] = [];
      for (const t of trials) out.push(await verb.prepare(engine, t));
      return out;
    });
    // instants spread from the end of node's own start-up to just past the verb's end
    const from = Math.min(startup * 0.8, took * 0.5);
    const kills = await Promise.all(trials.map((t, i) => killedAfter(args[i], from + ((took - from) * 1.1 * t) / TRIALS)));
    landed += kills.filter((k) => k.landed).length;
    // a verb that ran to its end sooner than measured (a loaded machine's measure, a warm cache):
    // the next instants aim at that
    for (const k of kills) if (!k.landed) took = Math.min(took, k.tookMs);
    await afterKills(verb, trials);
  }
  assert.ok(landed >= TRIALS / 4, `${verb.name}: only ${landed} of ${TRIALS} kills landed before the verb was done`);
  // and the verb itself still works on the store the kills left
  const args = await withEngine((engine) => verb.prepare(engine, TRIALS));
  const last = strata([...args]);
  assert.equal(last.status, 0, explain(last));
  await afterKills(verb, [TRIALS]);
}

const removeAll = async (engine: EngineApi) => {
  for (const c of await engine.listContainers(true)) await engine.removeContainer(c.id, true, true);
};

describe('the SIGKILL matrix', { skip, timeout: 900_000 }, () => {
  before(async () => {
    store.open();
    ({ root, runtimeDir } = store);
    await store.importBusybox(IMAGE);
    const started = Date.now();
    assert.equal(strata(['volume', 'ls', '-q']).status, 0);
    startup = Date.now() - started;
  });

  after(async () => {
    if (!store.workDir) return;
    await withEngine(removeAll).catch(() => {});
    await store.close();
  });

  it('run: a killed run leaves a container that stops and goes, or none', async () => {
    await matrix({
      name: 'run',
      prepare: async (_e, t) => ['run', '--name', `run-${t + 1}`, '--network', 'none', '-v', '/data', IMAGE, 'sh', '-c', 'echo ran > /data/f'],
      // rm -f must work whatever the kill left: running, exited, created or half-made
      settle: async (engine) => removeAll(engine),
    });
  });

  it('rm -v: the container and its anonymous volume both go, or both stay', async () => {
    await matrix({
      name: 'rm -v',
      prepare: async (engine, t) => {
        const c = await engine.createContainer({ image: IMAGE, name: `rm-${t + 1}`, network: 'none', cmd: ['true'], mounts: [{ type: 'volume', target: '/data' }] });
        populate(path.join(root, 'containers', c.id, 'upper'), 200);
        return ['rm', '-v', `rm-${t + 1}`];
      },
      settle: async (engine, t) => {
        // still there when the kill came before the rename: the next rm -v removes it all
        if ((await engine.listContainers(true)).some((c) => c.name === `rm-${t + 1}`)) await engine.removeContainer(`rm-${t + 1}`, false, true);
      },
    });
  });

  it('volume rm: the volume is whole or gone, never half', async () => {
    await matrix({
      name: 'volume rm',
      prepare: async (engine, t) => {
        const v = await engine.createVolume(`vol-${t + 1}`);
        populate(v.mountpoint, 200);
        return ['volume', 'rm', v.name];
      },
      settle: async (engine, t) => {
        const left = (await engine.listVolumes()).find((v) => v.name === `vol-${t + 1}`);
        if (!left) return;
        assert.equal(entries(path.join(left.mountpoint, 'd0')).length, 10, `vol-${t + 1} listed with part of its data`);
        await engine.removeVolume(left.name);
      },
    });
  });

  it('commit of a running container: the image is whole and tagged, or absent; the container runs on, thawed, with its files', async () => {
    // running: each commit copies its 400 files (a stopped one's would move onto its commit and leave nothing for the next)
    const started = strata(['run', '-d', '--name', 'commit-source', '--network', 'none', IMAGE, 'sh', '-c', 'mkdir /d && for i in $(seq 400); do echo $i > /d/f$i; done && touch /ready && exec sleep 3600']);
    assert.equal(started.status, 0, explain(started));
    const id = started.stdout.trim();
    await until('the container wrote its files', 60_000, async () => (fs.existsSync(path.join(root, 'containers', id, 'upper', 'ready')) ? true : undefined));
    await matrix({
      name: 'commit',
      batch: 1, // commits of one container take its lock in turn
      prepare: async (_e, t) => ['commit', 'commit-source', `committed:${t + 1}`],
      settle: async (engine, t) => {
        const tag = `committed:${t + 1}`;
        const tagged = (await engine.listImages()).some((i) => i.repoTags.includes(`docker.io/library/${tag}`) || i.repoTags.includes(tag));
        // whole: its layers are on disk (system check re-hashes its blobs)
        if (tagged) assert.equal((await engine.inspectImage(tag)).chainIds.length, 2, `${tag}: not the base layer plus the container's`);
        const record = await engine.inspectContainer('commit-source');
        assert.equal(record.state.running, true, 'the container stopped');
        assert.equal(record.state.paused, false, 'a killed commit left the container frozen');
        assert.equal(entries(path.join(root, 'containers', id, 'upper', 'd')).length, 400, 'commit-source lost files');
        if (tagged) await engine.removeImage(tag);
        await engine.pruneImages();
      },
    });
    await withEngine((engine) => engine.removeContainer('commit-source', true));
  });

  it('system prune / image prune: what is pruned is gone, the rest is whole', async () => {
    await matrix({
      name: 'prune',
      prepare: async (engine, t) => {
        for (let i = 0; i < 2; i++) {
          const c = await engine.createContainer({ image: IMAGE, network: 'none', cmd: ['true'], mounts: [{ type: 'volume', target: '/data' }] });
          populate(path.join(root, 'containers', c.id, 'upper'), 100);
          if (i === 0) await engine.commitContainer(c.id, undefined); // a dangling image
        }
        return t % 2 === 0 ? ['system', 'prune', '-f', '--volumes'] : ['image', 'prune', '-f'];
      },
      settle: async (engine) => {
        await removeAll(engine);
        await engine.pruneImages();
        await engine.pruneVolumes();
        // the image in use stays whole whatever the prune was cut at
        assert.equal((await engine.inspectImage(IMAGE)).chainIds.length, 1);
      },
    });
  });

  it('build: the step container and the staging go; the image is whole and tagged, or absent', async () => {
    const ctx = path.join(store.workDir, 'ctx');
    fs.mkdirSync(ctx);
    populate(path.join(ctx, 'files'), 100);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nCOPY files /files\nRUN echo step > /step && sleep 1\nRUN ls /files/d0 | wc -l > /count\n`);
    const before = seenIds.size;
    await matrix({
      name: 'build',
      prepare: async (_e, t) => ['build', '-q', '--no-cache', '--network', 'none', '-t', `built:${t + 1}`, ctx],
      settle: async (engine, t) => {
        assert.deepEqual((await engine.listContainers(true)).map((c) => c.name), [], 'a killed build\'s step container is listed');
        if ((await engine.listImages()).some((i) => i.repoTags.some((tag) => tag.endsWith(`built:${t + 1}`)))) {
          const image = await engine.inspectImage(`built:${t + 1}`);
          assert.equal(image.chainIds.length, 4, `built:${t + 1}: not the base layer plus three`);
          await engine.removeImage(`built:${t + 1}`);
        }
        await engine.pruneImages();
      },
    });
    assert.ok(seenIds.size > before, 'no kill landed while a RUN step\'s container was there');
  });
});
