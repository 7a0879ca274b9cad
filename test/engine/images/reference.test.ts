import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError } from '../../../source/engine/api.js';
import { familiarReference, fullReference, parseReference } from '../../../source/engine/images/reference.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

test('references normalise like docker and show back in docker\'s familiar form', () => {
  const cases: Array<[string, string, string]> = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['demo/busybox', 'docker.io/demo/busybox:latest', 'demo/busybox:latest'],
    ['docker.io/library/alpine:3', 'docker.io/library/alpine:3', 'alpine:3'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest', 'alpine:latest'],
    ['127.0.0.1:5000/team/app:1.2', '127.0.0.1:5000/team/app:1.2', '127.0.0.1:5000/team/app:1.2'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['quay.io/a/b/c:v1-rc.2', 'quay.io/a/b/c:v1-rc.2', 'quay.io/a/b/c:v1-rc.2'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`, `busybox@${DIGEST}`],
    [`a.io/x:1@${DIGEST}`, `a.io/x:1@${DIGEST}`, `a.io/x:1@${DIGEST}`],
    ['my_app__x.y-z', 'docker.io/library/my_app__x.y-z:latest', 'my_app__x.y-z:latest'],
  ];
  for (const [input, full, familiar] of cases) {
    const ref = parseReference(input);
    assert.equal(fullReference(ref), full, input);
    assert.equal(familiarReference(ref), familiar, input);
  }
});

test('malformed references are invalid EngineErrors saying what is wrong', () => {
  const bad: Array<[string, RegExp]> = [
    ['Busybox', /must be lowercase/],
    ['busybox:', /bad tag/],
    ['busybox:-x', /bad tag/],
    ['a//b', /bad repository name/],
    ['-x', /bad repository name/],
    ['busybox@sha256:abc', /bad digest/],
    ['', /empty/],
    ['ab'.repeat(32), /64-byte hexadecimal/],
  ];
  for (const [input, why] of bad) {
    assert.throws(() => parseReference(input), (e: unknown) => e instanceof EngineError && e.code === 'invalid' && why.test(e.message), input);
  }
});
