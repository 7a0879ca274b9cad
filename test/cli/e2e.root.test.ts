// The built CLI (dist/strata.js) run as a user would, against a throwaway store. Needs root
// (namespaces, mounts, cgroups) and `node scripts/build.mjs` first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CliStore, cliSkip, explain } from '../support/cli.js';

const skip = cliSkip();

const IMAGE = 'strata-e2e/busybox:latest';
const store = new CliStore('strata-cli-e2e-');
const { strata } = store;
const createdNames = new Set<string>();

function named(prefix: string): string {
  const name = `${prefix}-${process.pid}-${createdNames.size}`;
  createdNames.add(name);
  return name;
}

describe('strata CLI end to end', { skip, timeout: 300_000 }, () => {
  before(async () => {
    store.open();
    assert.match(await store.importBusybox(IMAGE), /^sha256:[0-9a-f]{64}\n$/);
  });

  after(() => store.close());

  it('lists the imported image like docker images', () => {
    const r = strata(['images']);
    assert.equal(r.status, 0, explain(r));
    const [header, row] = r.stdout.split('\n');
    assert.match(header, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    assert.match(row, /^strata-e2e\/busybox\s+latest\s+[0-9a-f]{12}\s+.+ ago\s+[\d.]+[kMG]?B$/);
  });

  it('runs a command, streams its output and returns its exit code', () => {
    const name = named('echo');
    const r = strata(['run', '--rm', '--name', name, IMAGE, 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
    assert.equal(r.status, 3, explain(r));
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, 'oops\n');
    const ps = strata(['ps', '-a', '--format', '{{.Names}}']);
    assert.ok(!ps.stdout.split('\n').includes(name), `--rm left ${name} behind:\n${ps.stdout}`);
  });

  it('exits 127 for a command that does not exist', () => {
    const r = strata(['run', '--rm', '--name', named('missing'), IMAGE, 'no-such-command']);
    assert.equal(r.status, 127, explain(r));
    assert.match(r.stderr, /^strata: .+\n$/);
  });

  it('exits 126 for a command that cannot be invoked', () => {
    const r = strata(['run', '--rm', '--name', named('noexec'), IMAGE, '/etc/passwd']);
    assert.equal(r.status, 126, explain(r));
  });

  it('forwards stdin with -i', () => {
    const r = strata(['run', '--rm', '-i', '--name', named('cat'), IMAGE, 'cat'], { input: 'hello from stdin\n' });
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, 'hello from stdin\n');
  });

  it('passes -e, -w and -u to the container', () => {
    const r = strata(['run', '--rm', '-e', 'GREETING=hey', '-w', '/tmp', '-u', '1000', '--name', named('env'), IMAGE, 'sh', '-c', 'echo $GREETING $(pwd) $(id -u)']);
    assert.equal(r.status, 0, explain(r));
    assert.equal(r.stdout, 'hey /tmp 1000\n');
  });

  it('runs detached, shows in ps, inspects, execs, stops and removes', () => {
    const name = named('sleeper');
    const run = strata(['run', '-d', '--name', name, IMAGE, 'sleep', '300']);
    assert.equal(run.status, 0, explain(run));
    assert.match(run.stdout, /^[0-9a-f]{64}\n$/);
    const id = run.stdout.trim();

    const ps = strata(['ps']);
    assert.equal(ps.status, 0, explain(ps));
    const lines = ps.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    const row = lines.find((l) => l.endsWith(name));
    assert.ok(row, ps.stdout);
    assert.ok(row.startsWith(id.slice(0, 12)));
    assert.match(row, /"sleep 300"/);
    assert.match(row, /Up (Less than a second|\d+ seconds?)/);

    const quiet = strata(['ps', '-q', '--no-trunc']);
    assert.ok(quiet.stdout.split('\n').includes(id));

    const status = strata(['inspect', '-f', '{{.State.Status}} {{.Name}}', name]);
    assert.equal(status.stdout, `running /${name}\n`, explain(status));
    const json = JSON.parse(strata(['inspect', id.slice(0, 10)]).stdout);
    assert.equal(json[0].Id, id);

    const exec = strata(['exec', name, 'sh', '-c', 'echo in-container; exit 4']);
    assert.equal(exec.status, 4, explain(exec));
    assert.equal(exec.stdout, 'in-container\n');

    const stop = strata(['stop', '-t', '1', name]);
    assert.equal(stop.status, 0, explain(stop));
    assert.equal(stop.stdout, `${name}\n`);
    assert.match(strata(['ps', '-a', '--filter', `name=${name}`]).stdout, /Exited \(\d+\)/);

    const rm = strata(['rm', name]);
    assert.equal(rm.status, 0, explain(rm));
    assert.equal(strata(['inspect', name]).status, 1, 'docker exits 1 for a failed inspect');
  });

  it('keeps logs apart: stdout to stdout, stderr to stderr; --tail and -t', () => {
    const name = named('logger');
    const run = strata(['run', '--name', name, IMAGE, 'sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three']);
    assert.equal(run.status, 0, explain(run));
    const logs = strata(['logs', name]);
    assert.equal(logs.status, 0, explain(logs));
    assert.equal(logs.stdout, 'one\nthree\n');
    assert.equal(logs.stderr, 'two\n');
    assert.equal(strata(['logs', '--tail', '1', name]).stdout, 'three\n');
    assert.match(strata(['logs', '-t', name]).stdout, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z one\n/);
    const wait = strata(['wait', name]);
    assert.equal(wait.stdout, '0\n', explain(wait));
  });

  it('removes a running container with rm -f', () => {
    const name = named('forced');
    assert.equal(strata(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).status, 0);
    const rm = strata(['rm', '-f', name]);
    assert.equal(rm.status, 0, explain(rm));
    assert.ok(!strata(['ps', '-a', '-q', '--filter', `name=${name}`]).stdout.trim());
  });

  it('sets up the demo: image from the host busybox, clock and counter running', async () => {
    createdNames.add('clock');
    createdNames.add('counter');
    const demo = strata(['demo']);
    assert.equal(demo.status, 0, explain(demo));
    assert.match(demo.stdout, /Imported strata\/busybox:latest \(sha256:[0-9a-f]{64}\)/);
    assert.match(demo.stdout, /Started clock, counter/);
    const again = strata(['demo']);
    assert.match(again.stdout, /already there/, explain(again));
    assert.doesNotMatch(again.stdout, /Started/);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.match(strata(['logs', 'clock']).stdout, /\d\d:\d\d:\d\d/);
    const stats = strata(['stats', '--no-stream', 'clock', 'counter']);
    assert.equal(stats.status, 0, explain(stats));
    assert.match(stats.stdout, /clock\s+[\d.]+%\s+[\d.]+[KMG]?i?B \/ 16MiB/);
    const top = strata(['top', 'clock']);
    assert.equal(top.status, 0, explain(top));
    assert.match(top.stdout, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD\n/);
    assert.match(top.stdout, /while true/);

    for (const name of ['clock', 'counter']) assert.equal(strata(['rm', '-f', name]).status, 0);
    const rmi = strata(['rmi', 'strata/busybox:latest']);
    assert.equal(rmi.status, 0, explain(rmi));
  });

  it('pauses and unpauses', () => {
    const name = named('frozen');
    assert.equal(strata(['run', '-d', '--name', name, IMAGE, 'sleep', '300']).status, 0);
    assert.equal(strata(['pause', name]).status, 0);
    assert.match(strata(['ps', '--filter', `name=${name}`]).stdout, /Up .+ \(Paused\)/);
    assert.equal(strata(['inspect', '-f', '{{.State.Status}}', name]).stdout, 'paused\n');
    assert.equal(strata(['unpause', name]).status, 0);
    assert.equal(strata(['inspect', '-f', '{{.State.Status}}', name]).stdout, 'running\n');
    assert.equal(strata(['rm', '-f', name]).status, 0);
  });

  it('fails with 125 and one line naming the problem', () => {
    const badFlag = strata(['run', '--bogus', IMAGE]);
    assert.equal(badFlag.status, 125);
    assert.match(badFlag.stderr, /^strata: unknown flag: --bogus[^\n]*\n$/);
    const badValue = strata(['run', '--memory', 'lots', IMAGE]);
    assert.equal(badValue.status, 125);
    assert.match(badValue.stderr, /"--memory" flag/);
    const noContainer = strata(['rm', '-f', 'no-such-container-here']);
    assert.equal(noContainer.status, 0, "docker's rm -f reports a missing container and succeeds");
    assert.equal(noContainer.stderr, 'strata: No such container: no-such-container-here\n');
    const noImage = strata(['run', '--rm', '--pull', 'never', 'no-such-image:latest']);
    assert.equal(noImage.status, 125);
    assert.equal(noImage.stderr.split('\n').filter(Boolean).length, 1, noImage.stderr);
    assert.doesNotMatch(noImage.stderr, /\n\s+at /);
    // By default a missing image is pulled first, as docker says: its line, then the pull's error.
    const pulled = strata(['run', '--rm', 'no-such-image:latest']);
    assert.equal(pulled.status, 125);
    const lines = pulled.stderr.split('\n').filter(Boolean);
    assert.equal(lines[0], "Unable to find image 'no-such-image:latest' locally");
    assert.equal(lines.length, 2, pulled.stderr);
    assert.match(lines[1], /^strata: /);
  });
});
