// run's -p, -v, --mount and --tmpfs values as docker reads them (publish-values.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('-p, -v, --mount and --tmpfs values', () => {
  it('reads docker publish specs', async () => {
    const { parsePublish } = await import('../../source/cli/publish-values.js');
    assert.deepEqual(parsePublish('8080:80'), [{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }]);
    assert.deepEqual(parsePublish('127.0.0.1:8080:80/udp'), [{ containerPort: 80, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 8080 }]);
    assert.deepEqual(parsePublish('80'), [{ containerPort: 80, protocol: 'tcp', hostPort: 0 }]);
    assert.deepEqual(parsePublish('127.0.0.1::80'), [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 }]);
    assert.equal(parsePublish('8000-8001:80-81').map((m) => `${m.hostPort}:${m.containerPort}`).join(' '), '8000:80 8001:81');
    assert.throws(() => parsePublish('80/sctp'), /invalid argument "80\/sctp" for "--publish" flag/);
    assert.throws(() => parsePublish('70000:80'), /--publish/);
  });

  it('reads -v, --mount and --tmpfs', async () => {
    const { parseMountFlag, parseTmpfsFlag, parseVolumeFlag } = await import('../../source/cli/publish-values.js');
    assert.deepEqual(parseVolumeFlag('data:/data'), { type: 'volume', source: 'data', target: '/data', readOnly: false });
    assert.deepEqual(parseVolumeFlag('/srv/conf:/etc/app:ro'), { type: 'bind', source: '/srv/conf', target: '/etc/app', readOnly: true });
    assert.deepEqual(parseVolumeFlag('/cache'), { type: 'volume', target: '/cache', readOnly: false });
    assert.throws(() => parseVolumeFlag('data:/d:rx'), /invalid mode/);
    assert.deepEqual(parseMountFlag('type=tmpfs,target=/cache,tmpfs-size=64m'), { type: 'tmpfs', target: '/cache', readOnly: false, tmpfsSizeBytes: 64 << 20 });
    assert.deepEqual(parseMountFlag('type=bind,src=/a,dst=/b,readonly'), { type: 'bind', source: '/a', target: '/b', readOnly: true });
    assert.throws(() => parseMountFlag('type=bind,target=/b'), /source is required/);
    assert.throws(() => parseMountFlag('type=nfs,target=/b'), /unsupported mount type/);
    assert.deepEqual(parseTmpfsFlag('/run:size=1m'), { type: 'tmpfs', target: '/run', tmpfsSizeBytes: 1 << 20 });
  });
});
