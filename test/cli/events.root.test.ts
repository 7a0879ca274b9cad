// `strata events` run as a user would: the store's journal shows what other CLI processes did,
// live and replayed, filtered and formatted as docker does. Needs root and `node scripts/build.mjs`.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip } from '../support/cli.js';

const skip = cliSkip();
const IMAGE = 'strata-events/busybox:latest';
const store = new CliStore('strata-events-');
const strata = (args: string[]) => store.strata(args, { timeout: 60_000 });
const ok = (args: string[]) => store.ok(args, { timeout: 60_000 });

const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('strata events', { skip, timeout: 180_000 }, () => {
  before(async () => {
    store.open();
    await store.importBusybox(IMAGE);
  });

  after(() => store.close());

  it("follows another process's run --rm live: create, start, die, destroy in order, and stops on SIGINT", async () => {
    const follower = store.spawnPiped(['events', '--format', '{{json .}}']);
    let out = '';
    follower.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
    try {
      // the follower is reading once it reports a volume made after it started
      for (let i = 0; !out.includes('"Type":"volume"'); i++) {
        assert.ok(i < 100, `events never followed: ${out}`);
        ok(['volume', 'create', `probe-${i}`]);
        await sleep(100);
      }
      const run = strata(['run', '--rm', '--name', 'web', '--label', 'tier=front', IMAGE, 'sh', '-c', 'exit 3']);
      assert.equal(run.status, 3);
      for (let i = 0; !out.includes('"Action":"destroy"'); i++) {
        assert.ok(i < 100, `no destroy seen: ${out}`);
        await sleep(100);
      }
      const web = jsonLines(out).filter((m) => m.Type === 'container');
      assert.deepEqual(web.map((m) => m.Action), ['create', 'start', 'die', 'destroy']);
      const die = web[2];
      assert.deepEqual(Object.keys(die), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
      assert.equal(die.status, 'die');
      assert.equal(die.id, die.Actor.ID);
      assert.match(die.id, /^[0-9a-f]{64}$/);
      assert.equal(die.from, IMAGE);
      assert.equal(die.scope, 'local');
      assert.deepEqual(Object.entries(die.Actor.Attributes), [['exitCode', '3'], ['image', IMAGE], ['name', 'web'], ['tier', 'front']]);
      assert.equal(die.time, Math.floor(die.timeNano / 1e9));
      follower.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      follower.kill('SIGKILL');
    }
  });

  it('replays a window with --since/--until, filters and formats it, and announces an unwatched exit once', async () => {
    const since = String(Date.now() / 1000);
    const id = ok(['run', '-d', '--name', 'alone', IMAGE, 'sh', '-c', 'sleep 0.3; exit 7']).trim();
    await sleep(1000);
    // nobody watched the exit: the next process that looks at the container announces it, once
    ok(['inspect', 'alone']);
    ok(['inspect', 'alone']);
    ok(['rm', 'alone']);
    const until = String(Date.now() / 1000 + 0.5);
    const all = jsonLines(ok(['events', '--since', since, '--until', until, '--format', '{{json .}}']));
    assert.deepEqual(all.filter((m) => m.Actor.ID === id).map((m) => m.Action), ['create', 'start', 'die', 'destroy']);

    const dies = ok(['events', '--since', since, '--until', until, '--filter', 'event=die', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}']);
    assert.equal(dies, 'container die alone 7\n');

    const lines = ok(['events', '--since', since, '--until', until, '--filter', 'container=alone', '--filter', 'type=container']).split('\n').filter(Boolean);
    assert.equal(lines.length, 4);
    assert.match(lines[2], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) container die ${id} \\(exitCode=7, image=${IMAGE.replace(/[/.]/g, '\\$&')}, name=alone\\)$`));
    assert.equal(ok(['events', '--since', since, '--until', until, '--filter', 'label=nope']), '');
    const bad = strata(['events', '--filter', 'colour=red', '--until', '0']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /invalid filter 'colour'/);
  });

  it("reaches the same verbs through docker's management commands", () => {
    ok(['container', 'create', '--name', 'managed', IMAGE, 'true']);
    for (const list of [['container', 'ls', '-a'], ['container', 'ps', '-a'], ['container', 'list', '-a']]) assert.match(ok(list), /managed/);
    assert.match(ok(['image', 'list']), /strata-events\/busybox/);
    assert.match(ok(['system', 'events', '--since', '0', '--until', String(Date.now() / 1000), '--filter', 'container=managed']), / container create [0-9a-f]{64} \(image=/);
    assert.match(ok(['container', 'prune', '-f']), /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: /);
    assert.notEqual(strata(['container', 'nope']).status, 0);
  });
});
