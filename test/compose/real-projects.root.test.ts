// Compose files of real public projects (docker/awesome-compose, see fixtures/awesome-compose/
// README.md) on strata: `config` resolves them as docker compose does, and they go up with
// local stand-ins for their Docker Hub images, answer on their ports, find each other by
// service name, wait for a healthy database, and come down with nothing left.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { httpGet } from '../engine/network/host-state.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/strata.js');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/awesome-compose');

const POSTGRES_PASSWD = 'postgres:x:70:70:postgres:/var/lib/postgresql:/bin/sh';
// (writes under /tmp: strata does not yet give a new named volume the ownership of the image's
// directory it is mounted on, as docker does, so the postgres user could not write the volume)
// busybox stand-ins under the Docker Hub names, each a server on its image's port saying what it was given;
// like the real servers they stop on SIGTERM (busybox httpd as PID 1 ignores it: every stop would wait 10 s)
const SERVE = `RUN mkdir -p /usr/local/bin && printf '#!/bin/sh\\ntrap "exit 0" TERM\\n"$@" &\\nwait\\n' > /usr/local/bin/serve && chmod +x /usr/local/bin/serve`;
const STAND_INS: Record<string, string> = {
  'postgres:alpine': `RUN echo '${POSTGRES_PASSWD}' >> /etc/passwd && mkdir -p /var/lib/postgresql/data && chown 70 /var/lib/postgresql/data && printf '#!/bin/sh\\nexit 0\\n' > /bin/pg_isready && chmod +x /bin/pg_isready
EXPOSE 5432
CMD ["sh", "-c", "mkdir -p /tmp/www && echo \\"db $POSTGRES_DB as $(id -un)\\" > /tmp/www/index.html && exec /usr/local/bin/serve httpd -f -p 5432 -h /tmp/www"]`,
  'gitea/gitea:latest': `RUN mkdir -p /www
CMD ["sh", "-c", "echo \\"gitea on $DB_TYPE at $DB_HOST\\" > /www/index.html && exec /usr/local/bin/serve httpd -f -p 3000 -h /www"]`,
  nginx: `CMD ["/usr/local/bin/serve", "httpd", "-f", "-p", "80", "-h", "/etc/nginx/conf.d"]`,
};
STAND_INS.postgres = STAND_INS['postgres:alpine'];
const BACKEND = `FROM ${IMAGE} AS builder
RUN mkdir -p /www && echo backend > /www/index.html
${SERVE}
CMD ["/usr/local/bin/serve", "httpd", "-f", "-p", "8000", "-h", "/www"]
FROM scratch
COPY --from=builder / /
`;

describe('real compose projects', { skip: process.getuid?.() !== 0 ? 'needs root to run containers' : false, timeout: 600_000 }, () => {
  let t: TestEngine;
  const run = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (cwd: string, ...args: string[]) => {
    const r = run(cwd, ...args);
    assert.equal(r.code, 0, `strata ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  // a copy of the project, its published host ports moved to free ones on 127.0.0.1 (the file's own are shared machine's)
  const copy = (name: string, edit: (text: string) => string = (x) => x) => {
    const dir = path.join(t.base, name);
    fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')).replace(/^(\s+- )(\d+):(\d+)$/gm, '$1"127.0.0.1::$3"'));
    return dir;
  };

  before(async () => {
    t = await makeTestEngine();
    for (const [name, body] of Object.entries(STAND_INS)) {
      const ctx = fs.mkdtempSync(path.join(t.base, 'standin-'));
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${IMAGE}\n${SERVE}\n${body}\n`);
      ok(ctx, 'build', '-q', '-t', name, ctx);
    }
  });
  after(async () => {
    for (const name of ['gitea-postgres', 'nginx-golang-postgres']) {
      const dir = path.join(t.base, name);
      if (fs.existsSync(dir)) run(dir, 'compose', 'down', '-v');
    }
    await t.cleanup();
  });

  it('config resolves gitea-postgres as docker compose does', () => {
    const dir = path.join(FIXTURES, 'gitea-postgres');
    assert.equal(ok(dir, 'compose', 'config').stdout, fs.readFileSync(path.join(dir, 'expected-config.yaml'), 'utf8'));
    assert.equal(ok(dir, 'compose', 'config', '--services').stdout, 'gitea\ndb\n');
    assert.equal(ok(dir, 'compose', 'config', '--volumes').stdout, 'db_data\ngit_data\n');
  });

  it('gitea-postgres goes up, answers on its port, finds db by name, and comes down with nothing left', async () => {
    const dir = copy('gitea-postgres');
    ok(dir, 'compose', 'up', '-d');
    const ps = ok(dir, 'compose', 'ps').stdout;
    for (const name of ['gitea-postgres-db-1', 'gitea-postgres-gitea-1']) assert.match(ps, new RegExp(`^${name}\\s.*Up`, 'm'));
    const [host, port] = ok(dir, 'compose', 'port', 'gitea', '3000').stdout.trim().split(':');
    assert.equal(await httpGet(host, Number(port)), 'gitea on postgres at db:5432\n');
    assert.equal(ok(dir, 'compose', 'exec', '-T', 'gitea', 'wget', '-qO-', 'http://db:5432/').stdout, 'db gitea as root\n');
    ok(dir, 'compose', 'down', '-v');
    assert.deepEqual((await t.engine.listContainers(true)).map((c) => c.name), []);
    assert.ok(!(await t.engine.listVolumes()).some((v) => v.name.startsWith('gitea-postgres_')));
    assert.ok(!(await t.engine.listNetworks()).some((n) => n.name.startsWith('gitea-postgres_')));
  });

  it('nginx-golang-postgres: a built backend (target builder), a healthy db as its user, a secret file, a read-only bind', async () => {
    const dir = copy('nginx-golang-postgres');
    fs.writeFileSync(path.join(dir, 'backend', 'Dockerfile'), BACKEND);
    const up = ok(dir, 'compose', 'up', '-d');
    const at = (s: string) => up.stderr.indexOf(s);
    assert.ok(at('Container nginx-golang-postgres-db-1  Healthy') >= 0 && at('Container nginx-golang-postgres-db-1  Healthy') < at('Container nginx-golang-postgres-backend-1  Started'), up.stderr);
    assert.equal(ok(dir, 'compose', 'exec', '-T', 'db', 'sh', '-c', 'id -un; cat $POSTGRES_PASSWORD_FILE').stdout, `postgres\n${fs.readFileSync(path.join(dir, 'db', 'password.txt'), 'utf8')}`);
    assert.equal(ok(dir, 'compose', 'exec', '-T', 'proxy', 'wget', '-qO-', 'http://backend:8000/').stdout, 'backend\n');
    const [host, port] = ok(dir, 'compose', 'port', 'proxy', '80').stdout.trim().split(':');
    assert.match(await httpGet(host, Number(port), '/default.conf'), /proxy_pass\s+http:\/\/backend:8000;/);
    const write = run(dir, 'compose', 'exec', '-T', 'proxy', 'sh', '-c', 'echo x > /etc/nginx/conf.d/default.conf');
    assert.notEqual(write.code, 0, 'the bind is read-only');
    ok(dir, 'compose', 'down', '-v');
    assert.deepEqual((await t.engine.listContainers(true)).map((c) => c.name), []);
  });
});
