// `strata exec` never lands on the host: a container that points its working directory at
// /proc/self/fd/N of an fd the calling shell left open (CVE-2024-21626), or that ptraces the
// exec'd process while it is being set up, reaches nothing of the host. Needs root and dist/.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { CliStore, cliSkip, explain } from '../support/cli.js';
import { assertHostUnchanged, hostCanary as takeHostCanary, type HostCanary as HostIdentity } from '../support/host-canary.js';

const skip = cliSkip();
const IMAGE = 'strata-escape/busybox:latest';
const store = new CliStore('strata-exec-escape-');

function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// The CLI started from a shell that holds fd 30 open on the host's /etc without CLOEXEC (node's
// own spawn passes such an fd on unless node reused its number).
function strataWithHostFd(args: string[]): SpawnSyncReturns<string> {
  const command = [process.execPath, ...store.argv(args)].map(quote).join(' ');
  const result = spawnSync('bash', ['-c', `exec 30</etc; exec ${command}`], { encoding: 'utf8', input: '', timeout: 60_000, env: store.env() });
  if (result.error) throw result.error;
  return result;
}

interface HostCanary { shadow: string; shadowMtime: number; nullRdev: number; nullIsChar: boolean }

function hostCanary(): HostCanary {
  const shadow = fs.statSync('/etc/shadow');
  const devNull = fs.statSync('/dev/null');
  return { shadow: fs.readFileSync('/etc/shadow', 'utf8'), shadowMtime: shadow.mtimeMs, nullRdev: devNull.rdev, nullIsChar: devNull.isCharacterDevice() };
}

describe('exec cannot reach the host', { skip, timeout: 300_000 }, () => {
  let canary: HostCanary;
  let hostIdentity: HostIdentity;
  before(async () => {
    hostIdentity = await takeHostCanary();
    canary = hostCanary();
    store.open();
    await store.importBusybox(IMAGE);
    const started = strataWithHostFd(['run', '-d', '--name', 'c', '-w', '/work', IMAGE, 'sh', '-c', 'while :; do sleep 1; done']);
    assert.equal(started.status, 0, explain(started));
  });

  after(async () => {
    await store.close();
    const now = hostCanary();
    assert.equal(now.shadow, canary.shadow, 'the host /etc/shadow changed');
    assert.equal(now.shadowMtime, canary.shadowMtime, 'the host /etc/shadow was written');
    assert.ok(now.nullIsChar, 'the host /dev/null is no longer a character device');
    assert.equal(now.nullRdev, canary.nullRdev, 'the host /dev/null is no longer 1:3');
    await assertHostUnchanged(hostIdentity);
  });

  const hostShadowLine = () => canary.shadow.split('\n')[0];

  it('the exec helper passes none of the caller\'s fds to the process', () => {
    const r = strataWithHostFd(['exec', '-w', '/', 'c', 'sh', '-c', 'ls /proc/$$/fd; true']);
    assert.equal(r.status, 0, explain(r));
    assert.deepEqual(r.stdout.split(/\s+/).filter(Boolean), ['0', '1', '2']);
  });

  it('a WorkingDir replaced by a symlink to /proc/self/fd/N stays in the container', () => {
    const swapped = strataWithHostFd(['exec', '-w', '/', 'c', 'sh', '-c', 'rm -rf /work && ln -s /proc/self/fd/30 /work']);
    assert.equal(swapped.status, 0, explain(swapped));
    const r = strataWithHostFd(['exec', 'c', 'cat', 'shadow']);
    assert.ok(!r.stdout.includes(hostShadowLine()), `read the host /etc/shadow:\n${explain(r)}`);
    assert.notEqual(r.status, 0, explain(r));
    assert.match(r.stderr, /working directory \/work/);
  });

  it('exec -w /proc/self/fd/N stays in the container', () => {
    const r = strataWithHostFd(['exec', '-w', '/proc/self/fd/30', 'c', 'cat', 'shadow']);
    assert.ok(!r.stdout.includes(hostShadowLine()), `read the host /etc/shadow:\n${explain(r)}`);
    assert.notEqual(r.status, 0, explain(r));
    assert.match(r.stderr, /working directory \/proc\/self\/fd\/30/);
  });

  it('a magic link as working directory is refused with a clear error', () => {
    const r = strataWithHostFd(['exec', '-w', '/proc/1/fd/1', 'c', 'pwd']);
    assert.equal(r.status, 126, explain(r));
    assert.match(r.stderr, /working directory \/proc\/1\/fd\/1 resolves outside the container/);
    const cwd = strataWithHostFd(['exec', '-w', '/proc/1/cwd', 'c', 'pwd']);
    assert.equal(cwd.status, 126, explain(cwd));
  });

  it('a working directory that does not exist yet is created inside the container', () => {
    const made = strataWithHostFd(['exec', '-w', '/made/by/exec', 'c', 'pwd']);
    assert.equal(made.status, 0, explain(made));
    assert.equal(made.stdout, '/made/by/exec\n');
    assert.ok(!fs.existsSync('/made'), 'created on the host');
    const linked = strataWithHostFd(['exec', '-w', '/', 'c', 'sh', '-c', 'mkdir -p /tmp/inside && ln -s ../../../../tmp/inside /up']);
    assert.equal(linked.status, 0, explain(linked));
    const through = strataWithHostFd(['exec', '-w', '/up/deeper', 'c', 'sh', '-c', 'pwd -P']);
    assert.equal(through.status, 0, explain(through));
    assert.equal(through.stdout, '/tmp/inside/deeper\n');
    assert.ok(!fs.existsSync('/tmp/inside'), 'created on the host');
  });

  // Seizes every new pid it sees in its container, and reports the state of each one it got.
  const TRACER = `
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
static unsigned char seen[1 << 19];
static void report(int pid) {
  char path[64], line[256], cap[64] = "?", sec[16] = "?";
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f)) {
    if (!strncmp(line, "CapEff:", 7)) sscanf(line + 7, "%63s", cap);
    if (!strncmp(line, "Seccomp:", 8)) sscanf(line + 8, "%15s", sec);
  }
  if (f) fclose(f);
  printf("attached %d CapEff=%s Seccomp=%s\\n", pid, cap, sec);
}
int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("tracing\\n");
  for (;;) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
      int pid = atoi(e->d_name);
      if (pid <= 1 || pid == getpid() || pid >= (1 << 22) || (seen[pid >> 3] & (1 << (pid & 7)))) continue;
      seen[pid >> 3] |= 1 << (pid & 7);
      if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0) continue;
      int st;
      ptrace(PTRACE_INTERRUPT, pid, 0, 0);
      if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st)) continue;
      report(pid);
      int sig = WSTOPSIG(st);
      ptrace(PTRACE_DETACH, pid, 0, sig == SIGTRAP ? 0 : sig);
    }
    if (d) closedir(d);
  }
}
`;

  it('a container with CAP_SYS_PTRACE never seizes the exec\'d process before it is the container\'s', async () => {
    const bin = path.join(store.workDir, 'probe');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'tracer.c'), TRACER);
    execFileSync('cc', ['-static', '-O2', '-o', path.join(bin, 'tracer'), path.join(bin, 'tracer.c')]);
    const started = strataWithHostFd(['run', '-d', '--name', 'tracer', '--cap-add', 'SYS_PTRACE', '-v', `${bin}:/probe:ro`, IMAGE, '/probe/tracer']);
    assert.equal(started.status, 0, explain(started));
    for (let i = 0; i < 100 && !strataWithHostFd(['logs', 'tracer']).stdout.includes('tracing'); i++) await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 50; i++) {
      const r = strataWithHostFd(['exec', 'tracer', 'true']);
      assert.equal(r.status, 0, explain(r));
    }
    const control = strataWithHostFd(['exec', 'tracer', 'sleep', '1']);
    assert.equal(control.status, 0, explain(control));
    const full = /^CapEff:\s*(\S+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1];
    const attached = strataWithHostFd(['logs', 'tracer']).stdout.split('\n').filter((l) => l.startsWith('attached'));
    assert.ok(attached.length > 0, 'the tracer never attached, not even to `sleep 1`: it proves nothing');
    for (const line of attached) {
      assert.doesNotMatch(line, new RegExp(`CapEff=${full}`), `seized with the helper's capabilities: ${line}`);
      assert.doesNotMatch(line, /Seccomp=0/, `seized before the seccomp filter: ${line}`);
    }
  });
});
