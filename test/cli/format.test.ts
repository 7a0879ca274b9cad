import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerState, ContainerSummary } from '../../source/engine/api.js';
import { renderPsTable } from '../../source/cli/ps.js';
import { renderStatsTable } from '../../source/cli/stats.js';
import { ellipsis, psCommand, shortId } from '../../source/engine/docker-shape/command.js';
import { imageRows } from '../../source/engine/docker-shape/list-rows.js';
import { humanDuration, timeAgo } from '../../source/engine/format/duration.js';
import { bytesSize, humanSize } from '../../source/engine/format/size.js';
import { containerStatusText } from '../../source/engine/format/status.js';
import { renderTable } from '../../source/cli/format/table.js';
import { renderTemplate } from '../../source/cli/format/template.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('humanDuration', () => {
  const cases: Array<[number, string]> = [
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [SECOND, '1 second'],
    [2 * SECOND, '2 seconds'],
    [59 * SECOND, '59 seconds'],
    [60 * SECOND, 'About a minute'],
    [119 * SECOND, 'About a minute'],
    [2 * MINUTE, '2 minutes'],
    [59 * MINUTE, '59 minutes'],
    [60 * MINUTE, 'About an hour'],
    [89 * MINUTE, 'About an hour'],
    [90 * MINUTE, '2 hours'],
    [47 * HOUR, '47 hours'],
    [48 * HOUR, '2 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [60 * DAY, '2 months'],
    [365 * DAY * 2, '2 years'],
  ];
  for (const [ms, text] of cases) it(`${ms} ms → ${text}`, () => assert.equal(humanDuration(ms), text));

  it('says "ago" from a timestamp', () => {
    const now = new Date('2024-05-01T12:00:05Z');
    assert.equal(timeAgo('2024-05-01T12:00:00.123456789Z', now), '4 seconds ago');
  });
});

describe('sizes', () => {
  it('prints image sizes in decimal units with 3 significant digits', () => {
    assert.equal(humanSize(0), '0B');
    assert.equal(humanSize(999), '999B');
    assert.equal(humanSize(1000), '1kB');
    assert.equal(humanSize(4_261_234), '4.26MB');
    assert.equal(humanSize(12_345_678), '12.3MB');
    assert.equal(humanSize(1_500_000_000), '1.5GB');
  });

  it('prints memory in binary units with 4 significant digits', () => {
    assert.equal(bytesSize(0), '0B');
    assert.equal(bytesSize(1536 * 1024), '1.5MiB');
    assert.equal(bytesSize(64 * 1024 * 1024), '64MiB');
    assert.equal(bytesSize(8_192_000_000), '7.629GiB');
  });
});

describe('status text', () => {
  const now = new Date('2024-05-01T12:03:00Z');
  const base: ContainerState = { status: 'created', running: false, paused: false, pid: 0, shimPid: 0, exitCode: 0, oomKilled: false, error: '', startedAt: '0001-01-01T00:00:00Z', finishedAt: '0001-01-01T00:00:00Z' };
  it('reads like docker ps', () => {
    assert.equal(containerStatusText(base, now), 'Created');
    assert.equal(containerStatusText({ ...base, status: 'running', running: true, startedAt: '2024-05-01T12:00:00Z' }, now), 'Up 3 minutes');
    assert.equal(containerStatusText({ ...base, status: 'paused', running: true, paused: true, startedAt: '2024-05-01T12:02:58Z' }, now), 'Up 2 seconds (Paused)');
    assert.equal(containerStatusText({ ...base, status: 'exited', exitCode: 3, startedAt: '2024-05-01T12:02:50Z', finishedAt: '2024-05-01T12:02:55Z' }, now), 'Exited (3) 5 seconds ago');
    // docker (and podman): one that never ran reads "Created", also after a start that failed
    assert.equal(containerStatusText({ ...base, status: 'exited', exitCode: 127, finishedAt: '2024-05-01T12:02:55Z' }, now), 'Created');
    assert.equal(containerStatusText({ ...base, status: 'dead' }, now), 'Dead');
  });
});

describe('tables', () => {
  it('pads columns like Go tabwriter (min 10, padding 3) and leaves the last one bare', () => {
    const text = renderTable(['CONTAINER ID', 'IMAGE', 'PORTS', 'NAMES'], [['0123456789ab', 'busybox', '', 'web']]);
    assert.equal(text, 'CONTAINER ID   IMAGE     PORTS     NAMES\n0123456789ab   busybox             web\n');
  });

  it('renders ps like docker', () => {
    const now = new Date('2024-05-01T12:00:10Z');
    const summary: ContainerSummary = {
      id: 'a'.repeat(64),
      name: 'clock',
      image: 'strata/busybox:latest',
      imageId: 'sha256:' + 'b'.repeat(64),
      command: "sh -c 'while true; do date; sleep 1; done'",
      created: '2024-05-01T12:00:00Z',
      status: 'running',
      statusText: 'Up 9 seconds',
      exitCode: 0,
      pid: 42,
      startedAt: '2024-05-01T12:00:01Z',
      finishedAt: '0001-01-01T00:00:00Z',
    };
    assert.equal(
      renderPsTable([summary], false, now),
      [
        'CONTAINER ID   IMAGE                   COMMAND                  CREATED          STATUS         PORTS     NAMES',
        'aaaaaaaaaaaa   strata/busybox:latest   "sh -c \'while true; …"   10 seconds ago   Up 9 seconds             clock',
        '',
      ].join('\n'),
    );
  });

  it('shows stats with docker units', () => {
    const text = renderStatsTable([
      { sample: { id: 'c'.repeat(64), name: 'counter', read: '', cpuPercent: 24.987, cpuTotalNs: 0, memoryUsage: 1536 * 1024, memoryLimit: 64 * 1024 * 1024, pids: 2, blockRead: 0, blockWrite: 0, netRx: 0, netTx: 0 } },
    ], false);
    assert.equal(
      text,
      [
        'CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS',
        'cccccccccccc   counter   24.99%    1.5MiB / 64MiB      2.34%     0B / 0B   0B / 0B     2',
        '',
      ].join('\n'),
    );
  });

  it('splits repository and tag for images, <none> when untagged', () => {
    const rows = imageRows([
      { id: 'sha256:' + 'd'.repeat(64), repoTags: ['localhost:5000/strata/busybox:1.36', 'busybox:latest'], repoDigests: [], created: '2024-05-01T12:00:00Z', size: 4_261_234, layers: 1 },
      { id: 'sha256:' + 'e'.repeat(64), repoTags: [], repoDigests: [], created: '2024-05-01T12:00:00Z', size: 10, layers: 1 },
    ], false, new Date('2024-05-01T12:00:03Z'));
    assert.deepEqual(rows.map((r) => [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size]), [
      ['localhost:5000/strata/busybox', '1.36', 'dddddddddddd', '3 seconds ago', '4.26MB'],
      ['busybox', 'latest', 'dddddddddddd', '3 seconds ago', '4.26MB'],
      ['<none>', '<none>', 'eeeeeeeeeeee', '3 seconds ago', '10B'],
    ]);
  });
});

describe('command column', () => {
  it('quotes and cuts to 20 characters', () => {
    assert.equal(psCommand('sh', false), '"sh"');
    assert.equal(psCommand("sh -c 'echo hi; exit 3'", false), '"sh -c \'echo hi; exi…"');
    assert.equal(psCommand("sh -c 'echo hi; exit 3'", true), '"sh -c \'echo hi; exit 3\'"');
    assert.equal(ellipsis('abcdef', 4), 'abc…');
    assert.equal(shortId('sha256:0123456789abcdef'), '0123456789ab');
  });
});

describe('templates', () => {
  const data = { State: { Status: 'running', Pid: 42 }, Name: '/web', Args: ['-c', 'echo'], Config: { Labels: { tier: 'front' }, Env: null } };
  it('reads fields and nested fields', () => {
    assert.equal(renderTemplate('{{.State.Status}}', data), 'running');
    assert.equal(renderTemplate('{{ .State.Pid }} {{.Name}}', data), '42 /web');
  });
  it('prints like Go: slices, maps, nil, missing', () => {
    assert.equal(renderTemplate('{{.Args}}', data), '[-c echo]');
    assert.equal(renderTemplate('{{.Config.Labels}}', data), 'map[tier:front]');
    assert.equal(renderTemplate('{{.Config.Env}}', data), '<nil>');
    assert.equal(renderTemplate('{{.Nope}}', data), '<no value>');
  });
  it('has json, index, join, upper, len and pipes', () => {
    assert.equal(renderTemplate('{{json .State}}', data), '{"Status":"running","Pid":42}');
    assert.equal(renderTemplate('{{index .Config.Labels "tier"}}', data), 'front');
    assert.equal(renderTemplate('{{join .Args ","}}', data), '-c,echo');
    assert.equal(renderTemplate('{{.State.Status | upper}}', data), 'RUNNING');
    assert.equal(renderTemplate('{{len .Args}}', data), '2');
    assert.equal(renderTemplate('{{.Name}}\\t{{.State.Pid}}', data), '/web\t42');
  });
  it('rejects unknown functions and unclosed actions', () => {
    assert.throws(() => renderTemplate('{{nosuch .Name}}', data), /function "nosuch" not defined/);
    assert.throws(() => renderTemplate('{{.Name', data), /unclosed action/);
  });
});
