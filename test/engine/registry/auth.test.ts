// Registry authentication against real servers: docker-registry with htpasswd (basic auth) and
// with `auth: token` backed by a token service issuing signed JWTs; login saves credentials in
// strata's own file (mode 0600), logout removes them, docker's config.json is read too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../source/engine/engine.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { startRegistry, type RegistryServer } from './registry-server.js';
import { startTokenServer, type TokenServer } from './token-server.js';

function engineWith(t: TestEngine, dockerConfigDir = path.join(t.base, 'docker')): Engine {
  return new Engine({
    root: t.root,
    runtimeDir: t.runtimeDir,
    registry: { authFile: path.join(t.base, 'config', 'auth.json'), dockerConfigFile: path.join(dockerConfigDir, 'config.json'), insecure: [] },
  });
}

describe('basic auth (htpasswd)', () => {
  let registry: RegistryServer;
  let t: TestEngine;
  let engine: Engine;

  before(async () => {
    registry = await startRegistry({ htpasswd: [['alice', 's3cret'], ['bob', 'other']] });
    t = await makeTestEngine();
    engine = engineWith(t);
  });
  after(async () => {
    await engine?.close();
    await t?.cleanup();
    await registry?.stop();
  });

  it('refuses without credentials and with a wrong password, saving nothing', async () => {
    const ref = `${registry.host}/team/app:1`;
    await engine.tagImage('test/busybox:latest', ref);
    await assert.rejects(engine.pushImage(ref), /unauthorized: authentication required by 127\.0\.0\.1:\d+ \(run `strata login/);
    await assert.rejects(engine.login(registry.host, 'alice', 'wrong'), /unauthorized: incorrect username or password/);
    assert.equal(fs.existsSync(path.join(t.base, 'config', 'auth.json')), false);
  });

  it('logs in, pushes and pulls, logs out', async () => {
    const ref = `${registry.host}/team/app:1`;
    await engine.login(registry.host, 'alice', 's3cret');
    const file = path.join(t.base, 'config', 'auth.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(Buffer.from(saved.auths[registry.host].auth, 'base64').toString(), 'alice:s3cret');

    const pushed = await engine.pushImage(ref);
    await engine.removeImage(ref);
    const pulled = await engine.pullImage(ref);
    assert.equal(pulled.digest, pushed.digest);

    assert.equal(await engine.logout(registry.host), 'removed');
    assert.equal(await engine.logout(registry.host), 'not-logged-in');
    await engine.removeImage(ref);
    await assert.rejects(engine.pullImage(ref), /unauthorized: authentication required/);
    assert.deepEqual(await engine.check(), []);
  });

  it("uses credentials from docker's config.json", async () => {
    const dockerDir = path.join(t.base, 'docker-cfg');
    fs.mkdirSync(dockerDir);
    fs.writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { [`https://${registry.host}`]: { auth: Buffer.from('bob:other').toString('base64') } } }));
    const withDocker = engineWith(t, dockerDir);
    try {
      const pulled = await withDocker.pullImage(`${registry.host}/team/app:1`);
      assert.equal(pulled.status, 'downloaded');
    } finally {
      await withDocker.close();
    }
  });
});

describe('bearer token auth (auth: token, JWTs from a token service)', () => {
  let tokens: TokenServer;
  let registry: RegistryServer;
  let t: TestEngine;
  let engine: Engine;

  before(async () => {
    t = await makeTestEngine();
    tokens = await startTokenServer(t.base, { carol: 'pa:ss', dave: 'reader' }, ['dave']);
    registry = await startRegistry({ token: tokens });
    engine = engineWith(t);
  });
  after(async () => {
    await engine?.close();
    await t?.cleanup();
    await registry?.stop();
    await tokens?.stop();
  });

  it('gets a token for the pull,push scope after login, and anonymous access is refused', async () => {
    const ref = `${registry.host}/tok/app:2`;
    await engine.tagImage('test/busybox:latest', ref);
    await assert.rejects(engine.pushImage(ref), /unauthorized/);
    await assert.rejects(engine.login(registry.host, 'carol', 'nope'), /unauthorized: incorrect username or password/);
    await engine.login(registry.host, 'carol', 'pa:ss');
    const pushed = await engine.pushImage(ref);
    assert.ok(tokens.requests.some((r) => r.user === 'carol' && r.scopes.includes('repository:tok/app:pull,push')), JSON.stringify(tokens.requests));
    await engine.removeImage(ref);
    const pulled = await engine.pullImage(ref);
    assert.equal(pulled.digest, pushed.digest);
    assert.ok(tokens.requests.some((r) => r.user === 'carol' && r.scopes.includes('repository:tok/app:pull')));
    assert.deepEqual(await engine.check(), []);
  });

  it('a user the token service grants only pull can pull but is denied a push', async () => {
    const ref = `${registry.host}/tok/app:2`;
    await engine.login(registry.host, 'dave', 'reader');
    const pulled = await engine.pullImage(ref);
    assert.equal(pulled.reference, ref);
    await engine.tagImage(ref, `${registry.host}/tok/app:3`);
    await assert.rejects(engine.pushImage(`${registry.host}/tok/app:3`), (err: Error) => {
      assert.equal(err.message, `denied: ${registry.host} refused repository:tok/app:pull,push to dave`);
      return true;
    });
  });
});
