// The plain logic behind actions on many rows, the volumes and networks panes, searching the
// inspect overlay, the stats order and a typed exec's output: no screen, no engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerRecord, NetworkRecord, StatsSample, VolumeRecord } from '../../source/engine/api.js';
import { actionTargets, countedNames, liveMarks, pauseVerb, runBatch, type BatchTarget } from '../../source/tui/model/batch.js';
import { networkRows, networkUsers, unusedNetworks, unusedVolumes, usersText, volumeRows, volumeUsers } from '../../source/tui/model/store-objects.js';
import { firstMatchFrom, matchingLines, nextMatch, offsetShowing } from '../../source/tui/model/line-search.js';
import { textMatcher } from '../../source/tui/model/text-search.js';
import { nextStatsSort, sortStatsRows } from '../../source/tui/model/stats-sort.js';
import { execOutputLines, OutputCollector } from '../../source/tui/model/exec-output.js';
import { applyKeys } from '../../source/tui/config.js';
import { DEFAULT_KEYMAP, keymapConflicts, PANE_LIST } from '../../source/tui/keymap.js';

const c = (id: string, status: BatchTarget['status'] = 'running'): BatchTarget => ({ id, name: `n-${id}`, status });

test('the marked containers are the targets, in the order marked, even those a filter hides; none marked: the cursor row', () => {
  const all = [c('a'), c('b'), c('c', 'exited')];
  assert.deepEqual(actionTargets([{ id: 'c' }, { id: 'a' }], all, all[1]).map((t) => t.id), ['c', 'a']);
  assert.deepEqual(actionTargets([{ id: 'gone' }, { id: 'b' }], all, all[0]).map((t) => t.id), ['b'], 'a container removed meanwhile is left out');
  assert.deepEqual(actionTargets([], all, all[1]).map((t) => t.id), ['b']);
  assert.deepEqual(actionTargets([], all, undefined), []);
});

test('marks of containers that are gone are dropped; unchanged marks stay the same array', () => {
  const marks = [{ id: 'a' }, { id: 'b' }];
  assert.equal(liveMarks(marks, new Set(['a', 'b', 'x'])), marks);
  assert.deepEqual(liveMarks(marks, new Set(['b'])), [{ id: 'b' }]);
});

test('p unpauses when every target is paused, else pauses', () => {
  assert.equal(pauseVerb([c('a', 'paused'), c('b', 'paused')]), 'unpause');
  assert.equal(pauseVerb([c('a', 'paused'), c('b')]), 'pause');
  assert.equal(pauseVerb([]), 'pause');
});

test('the question names how many and the first few', () => {
  assert.equal(countedNames([c('a'), c('b'), c('c')]), '3 containers (n-a, n-b, n-c)');
  assert.equal(countedNames(['1', '2', '3', '4', '5', '6'].map((id) => c(id))), '6 containers (n-1, n-2, n-3, n-4, +2 more)');
  assert.equal(countedNames([c('a')]), '1 container (n-a)');
});

test('a batch acts on all; its failure names each container that failed and how many were done', async () => {
  const seen: string[] = [];
  assert.equal(await runBatch('stop', [c('a'), c('b')], async (t) => seen.push(t.id)), 'stop: 2 containers');
  assert.deepEqual(seen.sort(), ['a', 'b']);
  assert.equal(await runBatch('stop', [c('a')], async () => undefined), 'stop: n-a');
  await assert.rejects(
    runBatch('start', [c('a'), c('b'), c('c')], async (t) => {
      if (t.id !== 'b') throw new Error(`container ${t.id} is gone\nstack`);
    }),
    { message: 'start failed for 2 of 3 (1 done): n-a: container a is gone; n-c: container c is gone' },
  );
});

const record = (name: string, network: string, volumes: string[]) => ({
  name,
  hostConfig: { network },
  mounts: volumes.map((v) => ({ type: 'volume', name: v, source: `/x/${v}`, destination: '/d', rw: true })),
}) as unknown as ContainerRecord;
const volume = (name: string): VolumeRecord => ({ name, driver: 'local', mountpoint: `/v/${name}/_data`, created: '2024-01-01T00:00:00Z', labels: {}, anonymous: false });
const network = (name: string, builtin = false): NetworkRecord => ({ id: `${name}-id`, name, driver: builtin && name !== 'bridge' ? 'null' : 'bridge', bridge: '', subnet: builtin ? '' : '10.78.1.0/24', gateway: '', created: '', labels: {}, builtin });

test('volumes and networks say which containers use each; prune takes the unused ones (never a pre-defined network)', () => {
  const records = [record('web', 'front', ['data', 'cache']), record('db', 'front', ['data']), record('job', 'none', [])];
  const vUsers = volumeUsers(records);
  const vRows = volumeRows([volume('data'), volume('cache'), volume('old')], vUsers);
  assert.deepEqual(vRows.map((r) => [r.name, r.users]), [['cache', ['web']], ['data', ['db', 'web']], ['old', []]]);
  assert.deepEqual(unusedVolumes(vRows).map((r) => r.name), ['old']);
  assert.deepEqual(volumeRows([volume('data'), volume('old')], vUsers, 'DB').map((r) => r.name), ['data'], 'the filter finds a volume by a container using it');

  const nRows = networkRows([network('front'), network('spare'), network('bridge', true), network('none', true)], networkUsers(records));
  assert.deepEqual(nRows.map((r) => [r.name, r.users]), [['bridge', []], ['front', ['db', 'web']], ['none', ['job']], ['spare', []]]);
  assert.deepEqual(unusedNetworks(nRows).map((r) => r.name), ['spare']);
  const twoNetworks = { name: 'api', hostConfig: { network: 'front', networks: [{ network: 'front' }, { network: 'back' }] } } as unknown as ContainerRecord;
  assert.deepEqual([...networkUsers([twoNetworks])], [['front', ['api']], ['back', ['api']]], 'a container on two networks uses both');
  assert.equal(usersText(['a', 'b', 'c', 'd', 'e']), 'a, b, c +2');
  assert.equal(usersText([]), '-');
});

test('search in a text: next and previous matching line wrap around; a typed query jumps to the first match from where it began', () => {
  const lines = ['{', '  "Path": "sh",', '  "Args": [],', '  "HostsPath": "/x",', '  "LogPath": "/y",', '  "Dir": "/a/path"', '}'];
  const matches = matchingLines(lines, textMatcher('path'));
  assert.deepEqual(matches, [1, 3, 4, 5], 'lower case ignores case');
  assert.deepEqual(matchingLines(lines, textMatcher('Path')), [1, 3, 4], 'a capital letter matches case exactly');
  assert.equal(nextMatch(matches, 1, 1), 3);
  assert.equal(nextMatch(matches, 5, 1), 1, 'wraps to the first');
  assert.equal(nextMatch(matches, 1, -1), 5, 'wraps to the last');
  assert.equal(nextMatch([], 0, 1), undefined);
  assert.equal(firstMatchFrom(matches, 2), 3);
  assert.equal(firstMatchFrom(matches, 6), 1);
  assert.equal(offsetShowing(50, 30, 100), 40);
  assert.equal(offsetShowing(95, 30, 100), 70, 'never past the end');
  assert.equal(offsetShowing(2, 30, 100), 0);
});

const sample = (cpu: number, mem: number, rx: number, tx: number) => ({ cpuPercent: cpu, memoryUsage: mem, netRx: rx, netTx: tx }) as StatsSample;

test('stats sort by name, then the biggest first by CPU, memory and network traffic; not yet sampled last', () => {
  const rows = [
    { name: 'b', samples: [sample(5, 100, 10, 10)] },
    { name: 'a', samples: [sample(50, 10, 1, 1)] },
    { name: 'c', samples: [sample(1, 50, 500, 0)] },
    { name: 'd', samples: [] },
  ];
  const names = (key: Parameters<typeof sortStatsRows>[1]) => sortStatsRows(rows, key).map((r) => r.name).join('');
  assert.equal(names('name'), 'abcd');
  assert.equal(names('cpu'), 'abcd');
  assert.equal(names('memory'), 'bcad');
  assert.equal(names('net'), 'cbad');
  assert.equal(nextStatsSort('name'), 'cpu');
  assert.equal(nextStatsSort('net'), 'name');
});

test("a typed exec's output: lines with control bytes made visible, bounded", () => {
  assert.deepEqual(execOutputLines('a\tb\n\x1b[31mred\r\n'), ['a    b', '^[[31mred']);
  assert.deepEqual(execOutputLines(''), ['(no output)']);
  const out = new OutputCollector();
  out.add(Buffer.alloc(1024 * 1024, 'x'));
  out.add(Buffer.from('more'));
  assert.match(out.text(), /… 4 more bytes not kept$/);
});

test('the new panes and actions are in the keymap: the config accepts their keys and refuses unknown ones; no key does two things', () => {
  assert.deepEqual(keymapConflicts(DEFAULT_KEYMAP), []);
  assert.deepEqual(PANE_LIST.map((p) => p.id).slice(-2), ['volumes', 'networks']);
  const keymap = applyKeys(DEFAULT_KEYMAP, { volumes: { create: ['C'] }, networks: { prune: ['X'] }, containers: { 'copy-id': ['Y'], exec: ['%'] }, stats: { sort: ['S'] }, images: { push: ['U'] } });
  assert.deepEqual(keymap.volumes.find((b) => b.action === 'create')?.keys, ['C']);
  assert.throws(() => applyKeys(DEFAULT_KEYMAP, { networks: { connect: ['x'] } }), /"tui\.keys\.networks\.connect": no such action in networks/);
  assert.throws(() => applyKeys(DEFAULT_KEYMAP, { containers: { commit: ['x'] } }), /key "x" is bound to both containers\.stop and containers\.commit/);
  assert.deepEqual(DEFAULT_KEYMAP.containers.find((b) => b.action === 'mark')?.keys, ['space', 'm']);
});

test("README's key table lists every key of every pane", async () => {
  const fs = await import('node:fs');
  const { keyLabel } = await import('../../source/tui/keymap.js');
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const titles: Record<string, string> = { global: 'Everywhere', list: 'Moving in lists', shell: 'In a shell pane (after Ctrl-G)', ...Object.fromEntries(PANE_LIST.map((p) => [p.id, p.title])) };
  for (const [section, bindings] of Object.entries(DEFAULT_KEYMAP)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| ${titles[section]} |`));
    assert.ok(row, `a row for ${titles[section]}`);
    for (const b of bindings) {
      for (const key of b.keys) assert.ok(row.includes(`\`${keyLabel(key)}\``), `${titles[section]}: ${key} (${b.action})`);
      assert.ok(row.includes(b.help.replace(/\|/g, '\\|')), `${titles[section]}: ${b.help}`);
    }
  }
});
