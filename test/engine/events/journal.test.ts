// The events journal on its own: docker's message shape, appends read back in order, the
// rotation bound, and a follower that keeps reading across a rotation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { EventJournal } from '../../../source/engine/events/journal.js';
import { eventMessage } from '../../../source/engine/events/message.js';
import { readJournal } from '../../../source/engine/events/reader.js';
import { eventsInWindow } from '../../../source/engine/events/window.js';

const dirs: string[] = [];
function journal(maxBytes?: number): EventJournal {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-journal-'));
  dirs.push(dir);
  return new EventJournal(dir, maxBytes);
}
const volume = (name: string, timeNano?: number) => eventMessage({ type: 'volume', action: 'create', name, driver: 'local' }, timeNano)!;

describe('the events journal', () => {
  afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

  it("shapes events as docker's messages", () => {
    const m = eventMessage({ type: 'container', action: 'kill', id: 'abc', name: 'web', image: 'busybox', labels: { z: '1' }, signal: '15' }, 1_700_000_000_123_456_789)!;
    assert.deepEqual(Object.keys(m), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
    assert.deepEqual(m.Actor, { ID: 'abc', Attributes: { image: 'busybox', name: 'web', signal: '15', z: '1' } });
    assert.equal(m.time, 1_700_000_000);
    const image = eventMessage({ type: 'image', action: 'tag', id: 'sha256:1', ref: 'x:latest' })!;
    assert.deepEqual([image.status, image.id, image.from], ['tag', 'sha256:1', undefined]);
    const net = eventMessage({ type: 'network', action: 'connect', id: 'n1', name: 'front', driver: 'bridge', container: 'abc' })!;
    assert.deepEqual([net.status, net.Actor.Attributes], [undefined, { container: 'abc', name: 'front', type: 'bridge' }]);
    assert.equal(eventMessage({ type: 'progress', id: 'x', action: 'a', current: 0, total: 1 }), undefined);
  });

  it('reads back appends in order and rotates past its bound, keeping the previous file', () => {
    const j = journal(300);
    for (let i = 0; i < 10; i++) j.append(volume(`v${i}`));
    const names = j.readAll().map((m) => m.Actor.ID);
    assert.ok(fs.statSync(j.current).size < 300 + 200);
    assert.ok(fs.existsSync(j.previous));
    assert.ok(names.length < 10, 'the oldest were dropped');
    assert.deepEqual(names, names.slice().sort(), 'oldest first');
    assert.equal(names.at(-1), 'v9');
  });

  it('replays a --since/--until window and stops', async () => {
    const j = journal();
    for (const [name, ms] of [['old', 1000], ['in', 2000], ['late', 3000]] as const) j.append(volume(name, ms * 1e6));
    const seen: string[] = [];
    for await (const m of eventsInWindow(j, { since: new Date(1500), until: new Date(2500) })) seen.push(m.Actor.ID);
    assert.deepEqual(seen, ['in']);
  });

  it('follows appends across a rotation until aborted', async () => {
    const j = journal(250);
    j.append(volume('before'));
    const abort = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const m of readJournal(j, { follow: true, fromEnd: true, signal: abort.signal })) {
        seen.push(m.Actor.ID);
        if (seen.length === 6) abort.abort();
      }
    })();
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 30));
      j.append(volume(`after${i}`));
    }
    await done;
    assert.deepEqual(seen, ['after0', 'after1', 'after2', 'after3', 'after4', 'after5']);
  });
});
