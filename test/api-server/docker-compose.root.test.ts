// Debian's docker-compose 1.29 (docker-py underneath: it drives the Engine API itself) against
// strata's Docker API service: up -d, ps, logs, exec and down -v of a three-service project
// with a build, depends_on, a published port, a named volume and a network.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IMAGE } from '../support/test-engine.js';
import { docker, type DockerResult, startService, type TestService } from './service.js';

const onPath = (cmd: string) => (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, cmd)));
const skip = !onPath('docker-compose') ? 'docker-compose is not installed' : !onPath('docker') ? 'the docker CLI is not on PATH' : false;

const COMPOSE_FILE = `version: "3.8"
services:
  db:
    image: ${IMAGE}
    command: ["sh", "-c", "echo db-up; echo stored > /data/f; trap 'exit 0' TERM; while :; do sleep 0.2; done"]
    volumes: [dbdata:/data]
    networks: [back]
  web:
    build: ./web
    depends_on: [db]
    ports: ["8080"]
    networks: [back]
  worker:
    image: ${IMAGE}
    command: ["sh", "-c", "echo worker-up; trap 'exit 0' TERM; while :; do sleep 0.2; done"]
    depends_on: [web]
    networks: [back]
volumes:
  dbdata:
networks:
  back:
`;

const DOCKERFILE = `FROM ${IMAGE}
RUN echo built > /built
CMD ["sh", "-c", "echo web-up; cat /built; trap 'exit 0' TERM; while :; do sleep 0.2; done"]
`;

describe('docker-compose 1.29 against strata system service', { skip }, () => {
  let svc: TestService;
  let project: string;
  const compose = (...args: string[]) => new Promise<DockerResult>((resolve) => {
    const env = { ...process.env, DOCKER_HOST: `unix://${svc.socket}`, COMPOSE_DOCKER_CLI_BUILD: '0', DOCKER_BUILDKIT: '0' };
    execFile('docker-compose', ['-p', 'capp', ...args], { cwd: project, env, timeout: 180_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code) || 1 : 0, stdout, stderr });
    });
  });
  const d = (...args: string[]) => docker(svc.socket, args);
  before(async () => {
    svc = await startService();
    project = path.join(svc.test.base, 'project');
    fs.mkdirSync(path.join(project, 'web'), { recursive: true });
    fs.writeFileSync(path.join(project, 'docker-compose.yml'), COMPOSE_FILE);
    fs.writeFileSync(path.join(project, 'web', 'Dockerfile'), DOCKERFILE);
  });
  after(async () => {
    if (project) await compose('down', '-v', '--rmi', 'local');
    await svc?.stop();
  });

  it('up -d builds and starts in depends_on order; ps, logs, exec; down -v removes it all', async () => {
    const up = await compose('up', '-d');
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout + up.stderr, /Successfully tagged capp_web:latest/);
    const created = [...up.stderr.matchAll(/Creating (capp_\w+_1) \.\.\. done/g)].map((m) => m[1]);
    assert.deepEqual(created, ['capp_db_1', 'capp_web_1', 'capp_worker_1']);
    assert.match((await d('network', 'ls', '--format', '{{.Name}}')).stdout, /^capp_back$/m);
    assert.match((await d('volume', 'ls', '--format', '{{.Name}}')).stdout, /^capp_dbdata$/m);

    const ps = await compose('ps');
    assert.equal(ps.code, 0, ps.stderr);
    const rows = ps.stdout.split('\n').slice(2).filter(Boolean);
    assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), ['capp_db_1', 'capp_web_1', 'capp_worker_1']);
    for (const row of rows) assert.match(row, / Up /);
    assert.match(rows[1], /0\.0\.0\.0:\d+->8080\/tcp/);

    const logs = await compose('logs', '--no-color');
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^db_1 +\| db-up$/m);
    assert.match(logs.stdout, /^web_1 +\| web-up\nweb_1 +\| built$/m);
    assert.match(logs.stdout, /^worker_1 +\| worker-up$/m);

    const exec = await compose('exec', '-T', 'db', 'cat', '/data/f');
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, 'stored\n');
    const failing = await compose('exec', '-T', 'web', 'sh', '-c', 'cat /built; exit 3');
    assert.equal(failing.code, 3);
    assert.equal(failing.stdout, 'built\n');

    const down = await compose('down', '-v');
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /Removing network capp_back/);
    assert.match(down.stderr, /Removing volume capp_dbdata/);
    assert.equal((await d('ps', '-aq')).stdout, '');
    assert.doesNotMatch((await d('network', 'ls', '--format', '{{.Name}}')).stdout, /capp_back/);
    assert.doesNotMatch((await d('volume', 'ls', '--format', '{{.Name}}')).stdout, /capp_dbdata/);
  });
});
