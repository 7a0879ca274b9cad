import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../source/engine/api.js';
import { applyChanges } from '../../../source/engine/images/changes.js';

test('import --change instructions set the image config', () => {
  const config = applyChanges({}, [
    'CMD ["sh", "-c", "echo hi"]',
    'entrypoint /docker-entrypoint.sh --flag',
    'ENV A=1 B="two words" C=x\\ y',
    'ENV LEGACY value with spaces',
    'ENV A=replaced',
    'WORKDIR /srv',
    'WORKDIR app',
    'USER 1000:1000',
    'LABEL org.opencontainers.image.title="demo app" version=1',
    'EXPOSE 80 53/udp 8000-8002',
    'STOPSIGNAL SIGQUIT',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /cache',
  ]);
  assert.deepEqual(config, {
    Cmd: ['sh', '-c', 'echo hi'],
    Entrypoint: ['/bin/sh', '-c', '/docker-entrypoint.sh --flag'],
    Env: ['A=replaced', 'B=two words', 'C=x y', 'LEGACY=value with spaces'],
    WorkingDir: '/srv/app',
    User: '1000:1000',
    Labels: { 'org.opencontainers.image.title': 'demo app', version: '1' },
    ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/tcp': {} },
    StopSignal: 'SIGQUIT',
    Volumes: { '/data': {}, '/logs': {}, '/cache': {} },
  });
});

test('instructions that cannot apply to an image are refused clearly', () => {
  for (const [change, why] of [['RUN apt-get update', /RUN cannot be applied.*supported: CMD/], ['EXPOSE http', /bad port/], ['ENV =x', /KEY=VALUE/], ['WORKDIR', /needs an argument/], ['{}', /expected a Dockerfile instruction/]] as const) {
    assert.throws(() => applyChanges({}, [change]), (e: unknown) => e instanceof EngineError && e.code === 'invalid' && why.test(e.message), change);
  }
});
