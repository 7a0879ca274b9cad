// The template engine where strata's data meets it: ps rows with docker's .Label method and
// .Labels, `table` formats with docker's header names and tabwriter columns, errors as docker's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../source/engine/api.js';
import { psRow } from '../../source/engine/docker-shape/list-rows.js';
import { PS_HEADER } from '../../source/cli/format/headers.js';
import { checkTemplate, renderRows, renderTemplate } from '../../source/cli/format/template.js';
import { tabwrite } from '../../source/cli/format/template/tabwriter.js';

const summary = (name: string, labels?: Record<string, string>): ContainerSummary => ({
  id: 'a'.repeat(64), name, image: 'busybox', imageId: 'sha256:1', command: 'sh', created: new Date().toISOString(),
  status: 'running', statusText: 'Up 2 minutes', exitCode: 0, pid: 1,
  startedAt: new Date().toISOString(), finishedAt: '0001-01-01T00:00:00Z', ...(labels ? { labels } : {}),
});

describe('ps rows in templates', () => {
  const row = psRow(summary('web', { tier: 'front', app: 'shop' }), false);

  it('.Label "k" is a method, .Labels the sorted k=v list', () => {
    assert.equal(renderTemplate('{{.Label "app"}}/{{.Label "nope"}}/{{.Labels}}', row), 'shop//app=shop,tier=front');
    assert.equal(renderTemplate('{{if eq (.Label "tier") "front"}}F{{end}}', row), 'F');
  });

  it('the method stays out of {{json .}} and {{.}}', () => {
    assert.ok(!renderTemplate('{{json .}}', row).includes('Label"'));
    assert.ok(!renderTemplate('{{.}}', row).includes('Label:'));
  });

  it('a container without labels has empty ones', () => {
    assert.equal(renderTemplate('[{{.Labels}}][{{.Label "x"}}]', psRow(summary('db'), false)), '[][]');
  });

  it('.Label wants one string', () => {
    assert.throws(() => renderTemplate('{{.Label}}', row), /wrong number of args for Label: want 1 got 0/);
    assert.throws(() => renderTemplate('{{.Names "x"}}', row), /Names is not a method but has arguments/);
  });
});

describe('table formats', () => {
  const rows = [psRow(summary('web'), false), psRow(summary('a-much-longer-name'), false)];

  it('puts docker\'s column names above columns aligned as its tabwriter does', () => {
    assert.equal(
      renderRows('table {{.Names}}\\t{{.Status}}\\t{{.Image}}', rows, PS_HEADER),
      [
        'NAMES                STATUS         IMAGE',
        'web                  Up 2 minutes   busybox',
        'a-much-longer-name   Up 2 minutes   busybox',
        '',
      ].join('\n'),
    );
  });

  it('keeps the minimum width of 10 and unknown names as <no value>', () => {
    assert.equal(renderRows('table {{.Names}}\t{{.Nope}}', rows.slice(0, 1), PS_HEADER), 'NAMES     <no value>\nweb       <no value>\n');
  });

  it('a header that fails stops there, as docker\'s does ({{.Label}} is no key of the header)', () => {
    assert.equal(renderRows('table {{.Names}}\t{{.Label "x"}}', rows.slice(0, 1), PS_HEADER), 'NAMES     \nweb       \n');
  });

  it('docker\'s functions leave the header as it is', () => {
    assert.equal(renderRows('table {{lower .Names}}|{{truncate .Status 2}}', rows.slice(0, 1), PS_HEADER), 'NAMES|STATUS\nweb|Up\n');
  });

  it('a format without table has no header', () => {
    assert.equal(renderRows('{{.Names}}', rows, PS_HEADER), 'web\na-much-longer-name\n');
  });
});

describe('tabwriter', () => {
  it('aligns column blocks separately, and the last cell of a line is no column', () => {
    assert.equal(tabwrite('a\tb\tc\nlonger-cell\tx\nno tabs\nq\tr\n', 4, 1), 'a           b   c\nlonger-cell x\nno tabs\nq   r\n');
  });
});

describe('template errors', () => {
  it('are docker\'s words, exit 125, before any rendering', () => {
    assert.throws(() => checkTemplate('{{foo .Names}}'), (err: Error & { exitCode?: number }) => {
      assert.equal(err.message, 'template parsing error: template: :1: function "foo" not defined');
      assert.equal(err.exitCode, 125);
      return true;
    });
    assert.throws(() => checkTemplate('table {{.Names}'), /template parsing error: template: :1: unclosed action/);
    assert.throws(() => checkTemplate('{{if .A}}x'), /template: :1: unexpected EOF/);
    assert.throws(() => checkTemplate('{{$x}}'), /undefined variable "\$x"/);
  });

  it('of execution name the place', () => {
    assert.throws(() => renderTemplate('{{index .Args 5}}', { Args: ['a'] }), /template: :1:2: executing "" at <index .Args 5>: error calling index: index out of range: 5/);
    assert.throws(() => renderTemplate('{{.A.B}}', { A: null }), /nil pointer evaluating interface \{\}\.B/);
  });
});

describe('Go values', () => {
  it('prints maps sorted, slices spaced, nil and missing keys', () => {
    assert.equal(renderTemplate('{{.M}} {{.S}} {{.N}} {{.Nope}} {{.M.b}}', { M: { b: 1, a: [true] }, S: ['x', 'y'], N: null }), 'map[a:[true] b:1] [x y] <nil> <no value> 1');
  });

  it('ranges over maps in key order', () => {
    assert.equal(renderTemplate('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', { b: 2, a: 1 }), 'a=1;b=2;');
  });

  it('indexes labels to "" when the key or the map is missing', () => {
    assert.equal(renderTemplate('[{{index .L "x"}}][{{index .N "x"}}]', { L: { y: 'z' }, N: null }), '[][]');
  });
});
