// The compose model against docker compose's documented behaviour: interpolation, .env files,
// merge order of several files, short syntaxes, errors that name file, line and key, profiles,
// extends and the project name.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interpolate } from '../../source/compose/model/interpolate.js';
import { parseEnvFile } from '../../source/compose/model/env-file.js';
import { loadProject, type LoadOptions } from '../../source/compose/model/load-project.js';
import { parsePorts } from '../../source/compose/model/canonical.js';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-compose-model-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
function load(dir: string, options: Partial<LoadOptions> = {}) {
  const warnings: string[] = [];
  const p = loadProject({ files: [], cwd: dir, env: {}, warn: (m) => warnings.push(m), ...options });
  return { p, warnings };
}
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('interpolation', () => {
  const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
  const lookup = (n: string) => vars[n];
  const run = (s: string, warnings: string[] = []) => interpolate(s, lookup, (m) => warnings.push(m));

  it('substitutes as the Compose Specification documents', () => {
    assert.equal(run('$SET ${SET}'), 'value value');
    assert.equal(run('${EMPTY:-default} ${EMPTY-default} ${UNSET-default}'), 'default  default');
    assert.equal(run('${SET:+alt} ${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}'), 'alt |alt|');
    assert.equal(run('$$SET $${SET}'), '$SET ${SET}');
    assert.equal(run('${UNSET:-${SET}-x}'), 'value-x', 'a default may itself hold a variable');
    assert.equal(run('cost: $5'), 'cost: $5');
  });

  it('warns on an unset variable and fails on a required one with its message', () => {
    const warnings: string[] = [];
    assert.equal(run('a${UNSET}b', warnings), 'ab');
    assert.deepEqual(warnings, ['The "UNSET" variable is not set. Defaulting to a blank string.']);
    assert.throws(() => run('${UNSET:?needs a value}'), /required variable UNSET is missing a value: needs a value/);
    assert.throws(() => run('${EMPTY:?}'), /required variable EMPTY is missing a value/);
    assert.equal(run('${EMPTY?fine}'), '', 'without the colon only unset fails');
  });
});

describe('.env files', () => {
  it('reads quotes, export, comments and inherited names as docker compose does', () => {
    const env = parseEnvFile([
      '# comment', 'export A=1', 'B="two words\\nnext"', "C='lit $X \\n'", 'D=plain # trailing comment', 'E=', 'INHERITED', 'F="multi', 'line"',
    ].join('\n'), '.env', (n) => (n === 'INHERITED' ? 'from-shell' : undefined));
    assert.deepEqual(Object.fromEntries(env), { A: '1', B: 'two words\nnext', C: 'lit $X \\n', D: 'plain', E: '', INHERITED: 'from-shell', F: 'multi\nline' });
  });
});

describe('loading a project', () => {
  it('merges compose.yaml with compose.override.yaml, the environment over .env', () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    image: "busybox:${TAG:-1}"\n    command: ["a"]\n    environment: ["A=1", "B=2"]\n    ports: ["8080:80"]\n    volumes: ["data:/data", "./src:/src"]\nvolumes:\n  data: {}\n',
      'compose.override.yaml': 'services:\n  web:\n    command: b c\n    environment:\n      B: override\n    ports: ["9090:90"]\n    volumes: ["./other:/src:ro"]\n',
      '.env': 'TAG=from-dotenv\nCOMPOSE_PROJECT_NAME=fromenv\n',
    });
    const { p } = load(dir, { env: { TAG: 'from-shell' } });
    const web = p.services[0];
    assert.equal(p.name, 'fromenv');
    assert.equal(web.image, 'busybox:from-shell');
    assert.deepEqual(web.command, ['b', 'c'], 'a command is replaced');
    assert.deepEqual(web.environment, { A: '1', B: 'override' });
    assert.deepEqual(web.ports.map((x) => `${x.published}:${x.target}`), ['8080:80', '9090:90'], 'ports add up');
    assert.deepEqual(web.volumes.map((v) => `${v.source}:${v.target}:${v.read_only ? 'ro' : 'rw'}`), ['data:/data:rw', `${dir}/other:/src:ro`], 'volumes merge by target');
    assert.deepEqual(p.files, [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
    assert.equal(p.volumes.data.name, 'fromenv_data');
    assert.equal(p.networks.default.name, 'fromenv_default');
  });

  it('names the file, the line and the key of a bad value, and of a schema error', () => {
    const bad = project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    ports:\n      - "80:80:80"\n' });
    assert.throws(() => load(bad), (e: Error) => e.message === `${path.join(bad, 'compose.yaml')}:5: services.web.ports[0]: invalid port "80:80:80"`);
    const schema = project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    restart_policy: always\n' });
    assert.throws(() => load(schema), (e: Error) => /compose\.yaml:4: services\.web: additional property restart_policy is not allowed$/.test(e.message));
    const yaml = project({ 'compose.yaml': 'services:\n  web:\n    image: [x\n' });
    assert.throws(() => load(yaml), /compose\.yaml:\d+: invalid YAML/);
    const required = project({ 'compose.yaml': 'services:\n  web:\n    image: "${IMAGE:?set IMAGE}"\n' });
    assert.throws(() => load(required), /compose\.yaml:3: services\.web\.image: required variable IMAGE is missing a value: set IMAGE/);
  });

  it('enables profiled services only with their profile, or when named', () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: x\n  debug:\n    image: y\n    profiles: [tools]\n' });
    assert.deepEqual(load(dir).p.services.map((s) => s.name), ['web']);
    assert.deepEqual(load(dir, { profiles: ['tools'] }).p.services.map((s) => s.name), ['web', 'debug']);
    assert.deepEqual(load(dir, { env: { COMPOSE_PROFILES: 'tools' } }).p.services.map((s) => s.name), ['web', 'debug']);
    assert.deepEqual(load(dir, { services: ['debug'] }).p.services.map((s) => s.name), ['web', 'debug']);
  });

  it('resolves extends (from the same file and another), anchors and x- extensions', () => {
    const dir = project({
      'compose.yaml': 'x-common: &common\n  environment: {COMMON: "1"}\n  restart: always\nservices:\n  base:\n    <<: *common\n    image: x\n  web:\n    extends: base\n    environment: {OWN: "2"}\n  other:\n    extends: {file: more.yaml, service: tool}\n',
      'more.yaml': 'services:\n  tool:\n    image: tool:1\n    command: run\n',
    });
    const { p } = load(dir);
    const web = p.services.find((s) => s.name === 'web')!;
    assert.deepEqual(web.environment, { COMMON: '1', OWN: '2' });
    assert.equal(web.restart?.name, 'always');
    assert.equal(web.image, 'x');
    const other = p.services.find((s) => s.name === 'other')!;
    assert.deepEqual([other.image, other.command], ['tool:1', ['run']]);
  });

  it('takes the project name from the directory, normalised, and refuses a bad -p', () => {
    const dir = project({ 'My.App/compose.yaml': 'services:\n  web:\n    image: x\n' });
    assert.equal(load(path.join(dir, 'My.App')).p.name, 'myapp');
    assert.throws(() => load(path.join(dir, 'My.App'), { projectName: 'Bad Name' }), /invalid project name "Bad Name"/);
  });

  it('refuses an undefined volume, network or dependency, naming it', () => {
    const vol = project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    volumes: ["nope:/data"]\n' });
    assert.throws(() => load(vol), /services\.web\.volumes\[0\]: service "web" refers to undefined volume nope/);
    const dep = project({ 'compose.yaml': 'services:\n  web:\n    image: x\n    depends_on: [db]\n' });
    assert.throws(() => load(dep), /depends on undefined service "db"/);
  });

  it('includes another project: its paths against its own directory, its .env under ours, conflicts refused', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n',
      'sub/compose.yaml': 'services:\n  db:\n    image: "db:${DB_TAG}"\n    env_file: [db.env]\n    volumes: ["./data:/data", "store:/store"]\n    secrets: [pw]\nvolumes:\n  store: {}\nsecrets:\n  pw:\n    file: ./pw.txt\n',
      'sub/.env': 'DB_TAG=from-sub\nOVER=sub\n',
      'sub/db.env': 'IN_FILE=yes\n',
      'sub/pw.txt': 'secret\n',
    });
    const { p } = load(dir);
    const db = p.services.find((s) => s.name === 'db')!;
    assert.equal(db.image, 'db:from-sub', "the included project's .env");
    assert.deepEqual(db.environment, { IN_FILE: 'yes' });
    assert.equal(db.volumes[0].source, path.join(dir, 'sub', 'data'), 'a bind relative to the included file');
    assert.equal(db.secrets[0].file, path.join(dir, 'sub', 'pw.txt'));
    assert.equal(p.volumes.store.name, `${path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '')}_store`, 'resources join the including project');
    assert.equal(load(dir, { env: { DB_TAG: 'shell' } }).p.services.find((s) => s.name === 'db')!.image, 'db:shell', 'the environment wins');
    assert.equal(p.model.include, undefined, 'config prints the included resources, not the include');
    const clash = project({
      'compose.yaml': 'include: [other.yaml]\nservices:\n  db:\n    image: mine\n',
      'other.yaml': 'services:\n  db:\n    image: theirs\n',
    });
    assert.throws(() => load(clash), /services\.db conflicts with imported resource/);
    const loop = project({ 'compose.yaml': 'include: [a.yaml]\nservices:\n  w:\n    image: x\n', 'a.yaml': 'include: [compose.yaml]\nservices:\n  v:\n    image: y\n' });
    assert.throws(() => load(loop), /include cycle detected/);
  });

  it('reads secrets and configs from files, the environment and inline content, at their default targets', () => {
    const dir = project({
      'compose.yaml': [
        'services:', '  app:', '    image: x', '    secrets: [token, {source: cert, target: tls.pem, mode: 0400}]', '    configs: [inline, {source: cfg, target: /etc/app.conf}]',
        'secrets:', '  token:', '    environment: TOKEN', '  cert:', '    file: ./cert.pem',
        'configs:', '  inline:', '    content: "level=${LEVEL:-info}"', '  cfg:', '    file: app.conf', '',
      ].join('\n'),
    });
    const app = load(dir, { env: { TOKEN: 't0k' } }).p.services[0];
    assert.deepEqual(app.secrets, [
      { source: 'token', target: '/run/secrets/token', variable: 'TOKEN', content: 't0k' },
      { source: 'cert', target: '/run/secrets/tls.pem', file: path.join(dir, 'cert.pem'), mode: 0o400 },
    ]);
    assert.deepEqual(app.configs, [
      { source: 'inline', target: '/inline', content: 'level=info' },
      { source: 'cfg', target: '/etc/app.conf', file: path.join(dir, 'app.conf') },
    ]);
    const unset = load(dir).p.services[0].secrets[0];
    assert.equal(unset.content, undefined, 'an unset variable is refused when a container needs it, not at load');
  });

  it('finds the compose file in a parent directory', () => {
    const dir = project({ 'docker-compose.yml': 'services:\n  web:\n    image: x\n', 'sub/deeper/.keep': '' });
    const { p } = load(path.join(dir, 'sub', 'deeper'));
    assert.equal(p.workingDir, dir);
  });
});

describe('ports', () => {
  it('reads the short syntax as docker compose does', () => {
    const fail = (_: unknown, m: string): never => {
      throw new Error(m);
    };
    assert.deepEqual(parsePorts(['80', '8080:80', '127.0.0.1:53:53/udp', '8000-8001:80-81'], [], fail), [
      { target: 80, protocol: 'tcp' },
      { target: 80, protocol: 'tcp', published: '8080' },
      { target: 53, protocol: 'udp', published: '53', host_ip: '127.0.0.1' },
      { target: 80, protocol: 'tcp', published: '8000' },
      { target: 81, protocol: 'tcp', published: '8001' },
    ]);
  });
});
