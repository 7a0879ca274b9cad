// The monitor's wire formats (runtime/monitor-protocol.ts): spec values, status lines, exit and pid files, attach frames.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeFrame, FrameDecoder, FrameType, parseExitFile, parsePidFile, parseStatusLine, resizeFrame, writeSpec } from '../../../source/engine/runtime/monitor-protocol.js';

describe('formats', () => {
  it('escapes spec values', () => {
    assert.equal(writeSpec([['arg', 'a\\b\nc\td e'], ['groups', '']]), 'arg a\\\\b\\nc\\td e\ngroups \n');
    assert.throws(() => writeSpec([['bad key', 'x']]));
  });

  it('parses status lines, exit and pid files', () => {
    assert.deepEqual(parseStatusLine('started 42'), { kind: 'started', pid: 42 });
    assert.deepEqual(parseStatusLine('error 127 exec: "x": executable file not found in $PATH'), {
      kind: 'error', code: 127, message: 'exec: "x": executable file not found in $PATH',
    });
    assert.deepEqual(parseStatusLine('exit 137'), { kind: 'exit', code: 137 });
    assert.deepEqual(parseStatusLine('attach-ready'), { kind: 'attach-ready' });
    assert.equal(parseStatusLine('nonsense'), undefined);
    assert.deepEqual(parseExitFile('{"exitCode":137,"signal":9,"oomKilled":true,"finishedAt":"2026-11-22T19:00:00.123456789Z","error":""}'), {
      exitCode: 137, signal: 9, oomKilled: true, finishedAt: '2026-11-22T19:00:00.123456789Z', error: '',
    });
    assert.deepEqual(parsePidFile('10 11\n'), { shimPid: 10, initPid: 11 });
  });

  it('encodes and decodes attach frames across chunk boundaries', () => {
    const bytes = Buffer.concat([encodeFrame(FrameType.stdout, 'hello'), resizeFrame(24, 80), encodeFrame(FrameType.exit, '0')]);
    assert.deepEqual([...resizeFrame(24, 80)], [3, 0, 0, 0, 4, 0, 24, 0, 80]);
    const d = new FrameDecoder();
    const frames = [...bytes].flatMap((b) => d.push(Buffer.from([b])));
    assert.deepEqual(frames.map((f) => [f.type, f.payload.toString('hex')]), [[1, Buffer.from('hello').toString('hex')], [3, '00180050'], [5, '30']]);
  });
});
