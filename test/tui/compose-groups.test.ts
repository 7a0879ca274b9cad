// The containers list grouped by compose project: headers with counts, members under them in the
// list's order, folding, the filter (by container or by project name), standalone containers as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, ContainerSummary } from '../../source/engine/api.js';
import { containerRows, visibleContainerRows } from '../../source/tui/model/container-rows.js';
import { groupByProject, projectHeaderText, rowProject, toggleFold, toggleFoldAll, type ContainerListRow } from '../../source/tui/model/compose-groups.js';
import { labelStartOrder } from '../../source/compose/reconcile/project-actions.js';

function summary(name: string, status: ContainerStatus, project?: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  const now = new Date().toISOString();
  return {
    id: Buffer.from(name).toString('hex').padEnd(64, '0'), name, image: 'test/busybox:latest', imageId: `sha256:${'a'.repeat(64)}`, command: 'sh', created: now,
    status, statusText: '', exitCode: 0, pid: 0, startedAt: now, finishedAt: now,
    ...(project ? { labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': name.split('-')[1] ?? name, 'com.docker.compose.container-number': '1' } } : {}),
    ...extra,
  };
}

const LIST = [
  summary('shop-web-1', 'running', 'shop'),
  summary('shop-db-1', 'running', 'shop'),
  summary('shop-worker-1', 'exited', 'shop'),
  summary('blog-app-1', 'running', 'blog'),
  summary('lonely', 'running'),
  summary('adhoc', 'exited'),
];

function group(filter = '', folded: ReadonlySet<string> = new Set(), list = LIST): ContainerListRow[] {
  const all = containerRows(list, new Map(), Date.now());
  return groupByProject(visibleContainerRows(list, new Map(), filter, 'name', false), all, folded, filter);
}

const names = (rows: ContainerListRow[]) => rows.map((r) => (r.kind === 'project' ? `[${r.name} ${r.running}/${r.total}${r.folded ? ' folded' : ''}]` : `${r.project ? '  ' : ''}${r.row.name}`));

test('each project is a header with n running / n total, its containers under it in the list order; standalone ones after, as before', () => {
  assert.deepEqual(names(group()), ['[blog 1/1]', '  blog-app-1', '[shop 2/3]', '  shop-db-1', '  shop-web-1', '  shop-worker-1', 'adhoc', 'lonely']);
  const shop = group().find((r) => r.kind === 'project' && r.name === 'shop');
  assert.ok(shop?.kind === 'project');
  assert.equal(projectHeaderText(shop), '▾ shop  compose project: 2 running / 3 total');
  assert.deepEqual(shop.members.map((m) => m.name), ['shop-db-1', 'shop-web-1', 'shop-worker-1']);
});

test('without any compose project the list is the plain rows, unchanged', () => {
  const plain = [summary('b', 'running'), summary('a', 'exited')];
  assert.deepEqual(names(group('', new Set(), plain)), ['a', 'b']);
});

test('a folded project keeps its header (counts included) and hides its containers', () => {
  const rows = group('', new Set(['shop']));
  assert.deepEqual(names(rows), ['[blog 1/1]', '  blog-app-1', '[shop 2/3 folded]', 'adhoc', 'lonely']);
  const header = rows[2];
  assert.ok(header.kind === 'project');
  assert.equal(projectHeaderText(header), '▸ shop  compose project: 2 running / 3 total');
  assert.equal(header.members.length, 3, 'the header still acts on all its containers');
});

test('the filter keeps a project that has a matching container (counts stay the whole project\'s), or whose name matches (all of it)', () => {
  assert.deepEqual(names(group('web')), ['[shop 2/3]', '  shop-web-1']);
  assert.deepEqual(names(group('lone')), ['lonely']);
  assert.deepEqual(names(group('blo')), ['[blog 1/1]', '  blog-app-1']);
  // "shop" matches the project's name (and every container's): all three under it
  assert.deepEqual(names(group('shop')), ['[shop 2/3]', '  shop-db-1', '  shop-web-1', '  shop-worker-1']);
  assert.deepEqual(names(group('nothing-matches')), []);
});

test('the row\'s project, fold and fold-all', () => {
  const rows = group();
  assert.equal(rowProject(rows[0]), 'blog');
  assert.equal(rowProject(rows[1]), 'blog');
  assert.equal(rowProject(rows.at(-1)), undefined);
  assert.deepEqual([...toggleFold(new Set(), 'shop')], ['shop']);
  assert.deepEqual([...toggleFold(new Set(['shop']), 'shop')], []);
  assert.deepEqual([...toggleFoldAll(new Set(['shop']), ['blog', 'shop'])].sort(), ['blog', 'shop']);
  assert.deepEqual([...toggleFoldAll(new Set(['blog', 'shop']), ['blog', 'shop'])], []);
});

test('a project\'s start order comes from the depends_on labels (what up wrote), ties by service name', () => {
  const c = (service: string, dependsOn: string) => ({
    summary: summary(`p-${service}-1`, 'exited', 'p', { labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.depends_on': dependsOn } }),
    service, number: 1, oneoff: false,
  });
  const ordered = labelStartOrder([c('web', 'api:service_started:false'), c('api', 'db:service_healthy:false,cache:service_started:false'), c('db', ''), c('cache', ''), c('zz', '')]);
  assert.deepEqual(ordered.map((x) => x.service), ['cache', 'db', 'api', 'web', 'zz']);
});
