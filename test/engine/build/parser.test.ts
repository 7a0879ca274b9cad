import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../../source/engine/build/parser.js';
import { expandKeepingQuotes, expandWord, expandWords } from '../../../source/engine/build/expand.js';
import { planStages } from '../../../source/engine/build/stages.js';

test('directives, continuations, comments inside them, heredocs and JSON forms parse as BuildKit reads them', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    '# escape=`',
    'FROM busybox',
    'RUN echo one `',
    '  # a comment inside the continuation',
    '',
    '  two',
    'COPY --chown=1:2 --chmod=600 <<-EOT /etc/conf',
    '\tindented',
    '\tEOT',
    'CMD ["sh", "-c", "echo hi"]',
    'RUN [ -f /x ] || echo shell form with a bracket',
    'run C:\\path\\stays',
  ].join('\n');
  const parsed = parseDockerfile(text);
  assert.equal(parsed.escape, '`');
  assert.equal(parsed.syntax, 'docker/dockerfile:1');
  const [from, run, copy, cmd, bracket, lower] = parsed.instructions;
  assert.equal(from.line, 3);
  assert.equal(run.args, 'echo one   two');
  assert.equal(run.line, 4);
  assert.deepEqual(copy.flags, { chown: ['1:2'], chmod: ['600'] });
  assert.deepEqual(copy.heredocs, [{ name: 'EOT', body: 'indented\n', expand: true }]);
  assert.equal(copy.line, 8);
  assert.deepEqual(cmd.json, ['sh', '-c', 'echo hi']);
  assert.equal(cmd.line, 11);
  assert.equal(bracket.json, undefined);
  assert.equal(lower.keyword, 'RUN');
  assert.equal(lower.args, 'C:\\path\\stays');
});

test('variables expand like the shell lexer: defaults, alternatives, quotes and escapes', () => {
  const vars = new Map([['A', 'one'], ['EMPTY', ''], ['SPACED', 'a b']]);
  assert.equal(expandWord('${A}-$A-${MISSING:-dflt}-${EMPTY:-e}-${EMPTY-set}-${A:+alt}-${MISSING+x}', vars), 'one-one-dflt-e--alt-');
  assert.equal(expandWord("'$A' \"$A\" \\$A", vars), '$A one $A');
  assert.deepEqual(expandWords('x "y z" $SPACED', vars), ['x', 'y z', 'a', 'b']);
  assert.equal(expandKeepingQuotes('K="$A two" L=\'$A\'', vars), 'K="one two" L=\'$A\'');
  assert.equal(expandWord('`$A', vars, '`'), '$A');
  assert.throws(() => expandWord('${MISSING:?must be set}', vars), /MISSING: must be set/);
});

test('stages: names, --target, and only what the target needs is built', () => {
  const { instructions } = parseDockerfile([
    'ARG BASE=busybox',
    'FROM $BASE AS deps',
    'FROM busybox AS unrelated',
    'FROM deps AS build',
    'COPY --from=0 /a /a',
    'FROM busybox',
    'COPY --from=build /a /a',
  ].join('\n'));
  const plan = planStages(instructions, new Map([['BASE', 'busybox:1']]), '\\');
  assert.deepEqual(plan.order.map((s) => s.index), [0, 2, 3]);
  assert.equal(plan.stages[0].base, 'busybox:1');
  assert.equal(plan.stages[2].baseStage, 0);
  assert.deepEqual(planStages(instructions, new Map([['BASE', 'x']]), '\\', 'unrelated').order.map((s) => s.name), ['unrelated']);
  assert.throws(() => planStages(instructions, new Map(), '\\'), /Dockerfile:2: FROM: base name \(\$BASE\) should not be blank/);
  assert.throws(() => planStages(parseDockerfile('FROM a AS x\nFROM b AS X\n').instructions, new Map(), '\\'), /Dockerfile:2: duplicate name X/);
});
