// docker push, pull, run of an image not yet local, and login, through strata's Docker API
// service against Debian's docker-registry on 127.0.0.1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRegistry, type RegistryServer } from '../engine/registry/registry-server.js';
import { IMAGE } from '../support/test-engine.js';
import { docker, request, startService, type TestService } from './service.js';

const skip = (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, 'docker'))) ? false : 'the docker CLI is not on PATH';

describe('docker push/pull/login against strata system service and a local registry', { skip }, () => {
  let svc: TestService;
  let registry: RegistryServer;
  let secured: RegistryServer;
  const d = (...args: string[]) => docker(svc.socket, args, { timeoutMs: 120_000 });
  before(async () => {
    svc = await startService();
    registry = await startRegistry();
    secured = await startRegistry({ htpasswd: [['alice', 's3cret']] });
  });
  after(async () => {
    await registry?.stop();
    await secured?.stop();
    await svc?.stop();
  });

  it('docker push prints docker\'s lines; docker pull brings the image back; run pulls what is missing', async () => {
    const ref = `${registry.host}/team/app:1.2`;
    assert.equal((await d('tag', IMAGE, ref)).code, 0);
    const push = await d('push', ref);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, new RegExp(`^The push refers to repository \\[${registry.host}/team/app\\]\\n`));
    assert.match(push.stdout, /1\.2: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
    assert.equal((await d('rmi', ref)).code, 0);
    const pull = await d('pull', ref);
    assert.equal(pull.code, 0, pull.stderr);
    assert.match(pull.stdout, /^1\.2: Pulling from team\/app\n/);
    assert.match(pull.stdout, /Digest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for [^\n]+\n[^\n]+\n$/);
    assert.equal((await d('rmi', ref)).code, 0);
    // run of an image the store lacks: the CLI sees docker's 404, pulls through the API, retries
    const run = await d('run', '--rm', ref, 'echo', 'pulled-and-ran');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'pulled-and-ran\n');
    assert.match(run.stderr, /Unable to find image/);
    const missing = await d('pull', `${registry.host}/team/none:1`);
    assert.equal(missing.code, 1);
    assert.ok(missing.stderr.length > 0);
  });

  it('POST /auth: a wrong password is 401 with the registry\'s refusal, and nothing is saved', async () => {
    const r = await request(svc.socket, 'POST', '/v1.50/auth', { username: 'alice', password: 'wrong', serveraddress: secured.host });
    assert.equal(r.status, 401);
    assert.equal(typeof r.json.message, 'string');
    const login = await docker(svc.socket, ['login', '-u', 'alice', '--password-stdin', secured.host], { input: 'wrong\n' });
    assert.equal(login.code, 1);
    assert.equal(fs.existsSync(path.join(svc.test.base, 'config', 'auth.json')), false);
  });

  it('POST /auth with the right password: Login Succeeded, and a push then goes through with that login', async () => {
    const auth = await request(svc.socket, 'POST', '/v1.50/auth', { username: 'alice', password: 's3cret', serveraddress: secured.host });
    assert.equal(auth.status, 200, auth.text);
    assert.deepEqual(auth.json, { Status: 'Login Succeeded', IdentityToken: '' });
    // saved where the test's engine keeps credentials (a temp dir), not in the user's files
    assert.match(fs.readFileSync(path.join(svc.test.base, 'config', 'auth.json'), 'utf8'), new RegExp(secured.host.replace(/\./g, '\\.')));
    const login = await docker(svc.socket, ['login', '-u', 'alice', '--password-stdin', secured.host], { input: 's3cret\n' });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    const ref = `${secured.host}/team/private:1`;
    assert.equal((await d('tag', IMAGE, ref)).code, 0);
    const push = await d('push', ref);
    assert.equal(push.code, 0, push.stderr);
  });
});
