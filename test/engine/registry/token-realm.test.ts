// Credentials and a token service over plain HTTP: sent to the registry's own host, refused
// for another host unless the config file names it insecure — and refused before connecting.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchToken } from '../../../source/engine/registry/auth.js';
import { DEFAULT_TIMEOUTS } from '../../../source/engine/registry/http.js';

describe('token realm over plain HTTP', () => {
  let server: http.Server;
  let port = 0;
  const seen: Array<string | undefined> = [];
  const creds = { username: 'alice', password: 's3cret' };

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end(JSON.stringify({ token: 'tok' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const challenge = (host: string) => ({ scheme: 'bearer' as const, params: { realm: `http://${host}:${port}/token`, service: 'reg' } });

  it('refuses to send credentials to another host, without a request', async () => {
    seen.length = 0;
    await assert.rejects(fetchToken(challenge('localhost'), ['repository:x:pull'], creds, '127.0.0.1:5000', { insecure: [], timeouts: DEFAULT_TIMEOUTS }),
      new RegExp(`^EngineError: 127\\.0\\.0\\.1:5000: refusing to send credentials over plain HTTP to the token service http://localhost:${port}, another host than the registry's \\(name localhost:${port} in insecureRegistries in the config file to allow it\\)$`));
    assert.deepEqual(seen, []);
  });

  it('sends them to the registry\'s own host, to a configured one, and sends none without credentials', async () => {
    seen.length = 0;
    assert.equal(await fetchToken(challenge('127.0.0.1'), [], creds, '127.0.0.1:5000', { insecure: [], timeouts: DEFAULT_TIMEOUTS }), 'tok');
    assert.equal(await fetchToken(challenge('localhost'), [], creds, '127.0.0.1:5000', { insecure: [`localhost:${port}`], timeouts: DEFAULT_TIMEOUTS }), 'tok');
    assert.equal(await fetchToken(challenge('localhost'), [], undefined, '127.0.0.1:5000', { insecure: [], timeouts: DEFAULT_TIMEOUTS }), 'tok');
    assert.equal(seen.length, 3);
    assert.equal(seen[2], undefined);
  });
});
