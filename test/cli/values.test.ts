import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnvFileText, parseGoDuration, parseInteger, parseLabels, parseLogOpts, parseTail, parseTimeArg, resolveEnvEntry } from '../../source/cli/values.js';
import { parseNanoCpus } from '../../source/engine/format/cpus.js';
import { parseRamBytes } from '../../source/engine/format/size.js';

describe('flag values', () => {
  it('reads memory sizes as docker does (binary units)', () => {
    assert.equal(parseRamBytes('64m', '--memory'), 64 * 1024 * 1024);
    assert.equal(parseRamBytes('64M', '--memory'), 64 * 1024 * 1024);
    assert.equal(parseRamBytes('64mb', '--memory'), 64 * 1024 * 1024);
    assert.equal(parseRamBytes('1.5g', '--memory'), 1.5 * 1024 ** 3);
    assert.equal(parseRamBytes('512', '--memory'), 512);
    assert.equal(parseRamBytes('10k', '--memory'), 10240);
    assert.throws(() => parseRamBytes('lots', '--memory'), /invalid argument "lots" for "--memory" flag: invalid size: 'lots'/);
    assert.throws(() => parseRamBytes('-1m', '--memory'), /--memory/);
  });

  it('reads --cpus into nano CPUs', () => {
    assert.equal(parseNanoCpus('0.5'), 500_000_000);
    assert.equal(parseNanoCpus('2'), 2_000_000_000);
    assert.equal(parseNanoCpus('1.25'), 1_250_000_000);
    assert.equal(parseNanoCpus('.1'), 100_000_000);
    assert.throws(() => parseNanoCpus('0.0000000001'), /"--cpus" flag: value is too precise/);
    assert.throws(() => parseNanoCpus('half'), /invalid argument "half" for "--cpus" flag/);
    assert.throws(() => parseNanoCpus('-1'), /--cpus/);
  });

  it('reads integers and names the flag', () => {
    assert.equal(parseInteger('-1', '--pids-limit', { min: -1 }), -1);
    assert.throws(() => parseInteger('1.5', '--stop-timeout'), /invalid argument "1.5" for "--stop-timeout" flag/);
    assert.throws(() => parseInteger('-2', '--pids-limit', { min: -1 }), /must be at least -1/);
  });

  it('takes -e KEY from our environment, or drops it', () => {
    assert.equal(resolveEnvEntry('A=1'), 'A=1');
    assert.equal(resolveEnvEntry('A=', {}), 'A=');
    assert.equal(resolveEnvEntry('HOME', { HOME: '/root' }), 'HOME=/root');
    assert.equal(resolveEnvEntry('UNSET', {}), undefined);
    assert.throws(() => resolveEnvEntry('=x'), /invalid environment variable/);
  });

  it('reads env files: comments, blanks, bare names', () => {
    const text = '# comment\n\nA=1\n  B=two words\nFROM_HOST\nMISSING\n';
    assert.deepEqual(parseEnvFileText(text, 'f.env', { FROM_HOST: 'yes' }), ['A=1', 'B=two words', 'FROM_HOST=yes']);
    assert.throws(() => parseEnvFileText('BAD NAME=1\n', 'f.env', {}), /f.env:1: variable 'BAD NAME' contains whitespaces/);
  });

  it('reads labels and log options', () => {
    assert.deepEqual(parseLabels(['a=1', 'b', 'c=x=y']), { a: '1', b: '', c: 'x=y' });
    assert.deepEqual(parseLogOpts(['max-size=10m', 'max-file=3']), { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 });
    assert.throws(() => parseLogOpts(['compress=true']), /unknown log opt 'compress'/);
    assert.throws(() => parseLogOpts(['max-file=0']), /"--log-opt max-file" flag/);
  });

  it('reads --since/--until as durations, RFC3339 or unix time', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    assert.equal(parseGoDuration('1h30m'), 90 * 60_000);
    assert.equal(parseGoDuration('250ms'), 250);
    assert.equal(parseTimeArg('10s', '--since', now).toISOString(), '2024-05-01T11:59:50.000Z');
    assert.equal(parseTimeArg('2024-05-01T11:00:00Z', '--since', now).toISOString(), '2024-05-01T11:00:00.000Z');
    assert.equal(parseTimeArg('1714564800', '--since', now).toISOString(), '2024-05-01T12:00:00.000Z');
    assert.equal(parseTimeArg('1714564800.5', '--since', now).toISOString(), '2024-05-01T12:00:00.500Z');
    assert.throws(() => parseTimeArg('yesterday', '--until', now), /for "--until" flag/);
  });

  it('reads --tail', () => {
    assert.equal(parseTail(undefined), undefined);
    assert.equal(parseTail('all'), undefined);
    assert.equal(parseTail('5'), 5);
    assert.throws(() => parseTail('five'), /--tail/);
  });
});
