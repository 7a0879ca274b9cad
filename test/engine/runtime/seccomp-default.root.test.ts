// The builtin seccomp filter is docker's current default profile: the filter a container really
// runs under (read back with PTRACE_SECCOMP_GET_FILTER and evaluated here for every system call
// this architecture has, with the arguments the profile tests) gives docker's verdict for each,
// and a container sees docker's answers for AF_VSOCK, AF_ALG and personality(2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCKER_DEFAULT_PROFILE } from '../../../source/engine/runtime/docker-seccomp-profile.js';
import { effectiveCapabilities } from '../../../source/engine/runtime/security.js';
import { IMAGE, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { assertHostUnchanged, hostCanary, type HostCanary } from '../../support/host-canary.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Prints the most recent seccomp filter of PID as "code jt jf k" lines (the host side).
const DUMP = `
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
int main(int argc, char **argv) {
  int pid = atoi(argv[1]);
  static struct sock_filter prog[4096];
  if (ptrace(PTRACE_ATTACH, pid, 0, 0) != 0) { perror("attach"); return 1; }
  if (waitpid(pid, NULL, __WALL) != pid) { perror("waitpid"); return 1; }
  long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, prog);
  if (n < 0) { perror("get filter"); return 1; }
  for (long i = 0; i < n; i++) printf("%u %u %u %u\\n", prog[i].code, prog[i].jt, prog[i].jf, prog[i].k);
  ptrace(PTRACE_DETACH, pid, 0, 0);
  return 0;
}
`;

// What a container sees (the container side): each probe's result or errno.
const PROBE = `
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>
static void report(const char *what, long rc) { printf("%s %s\\n", what, rc < 0 ? strerrorname_np(errno) : "ok"); }
int main(void) {
  report("socket(AF_VSOCK)", socket(40, SOCK_STREAM, 0));
  report("socket(AF_ALG)", socket(38, SOCK_SEQPACKET, 0));
  report("socket(AF_UNIX)", socket(AF_UNIX, SOCK_STREAM, 0));
  report("personality(ADDR_NO_RANDOMIZE)", personality(ADDR_NO_RANDOMIZE));
  report("personality(PER_LINUX32)", personality(PER_LINUX32));
  report("personality(PER_LINUX)", personality(PER_LINUX));
  return 0;
}
`;

type Insn = [code: number, jt: number, jf: number, k: number];
interface Call { nr: number; args: bigint[] }

const AUDIT_ARCH_X86_64 = 0xc000003e;

// Classic BPF as the kernel runs a seccomp filter (the instructions a filter may hold).
function runFilter(prog: Insn[], call: Call): number {
  const word = (off: number): number => {
    if (off === 0) return call.nr;
    if (off === 4) return AUDIT_ARCH_X86_64;
    if (off >= 16 && off < 64) {
      const arg = call.args[(off - 16) >> 3] ?? 0n;
      return Number((off & 4 ? arg >> 32n : arg) & 0xffffffffn);
    }
    throw new Error(`load of offset ${off}`);
  };
  let acc = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const [code, jt, jf, k] = prog[pc];
    switch (code) {
      case 0x20: acc = word(k); break; // ld w abs
      case 0x54: acc = (acc & k) >>> 0; break; // and k
      case 0x15: pc += acc === k ? jt : jf; break; // jeq
      case 0x25: pc += acc > k ? jt : jf; break; // jgt
      case 0x35: pc += acc >= k ? jt : jf; break; // jge
      case 0x45: pc += (acc & k) !== 0 ? jt : jf; break; // jset
      case 0x05: pc += k; break; // ja
      case 0x06: return k; // ret
      default: throw new Error(`instruction ${code}`);
    }
  }
  throw new Error('the filter ran off its end');
}

const RET_ALLOW = 0x7fff0000;
const retErrno = (errno: number) => (0x00050000 | errno) >>> 0;

function verdict(action: string, errnoRet: number | undefined): number {
  if (action === 'SCMP_ACT_ALLOW') return RET_ALLOW;
  if (action === 'SCMP_ACT_ERRNO') return retErrno(errnoRet ?? 1);
  throw new Error(`action ${action}`);
}

function holds(op: string, arg: bigint, value: bigint, valueTwo: bigint): boolean {
  switch (op) {
    case 'SCMP_CMP_EQ': return arg === value;
    case 'SCMP_CMP_NE': return arg !== value;
    case 'SCMP_CMP_LT': return arg < value;
    case 'SCMP_CMP_LE': return arg <= value;
    case 'SCMP_CMP_GT': return arg > value;
    case 'SCMP_CMP_GE': return arg >= value;
    case 'SCMP_CMP_MASKED_EQ': return (arg & value) === valueTwo;
    default: throw new Error(`op ${op}`);
  }
}

// docker's verdict, as libseccomp builds it: a rule applies by caps and arch; any applicable rule
// whose conditions all hold decides; none: the default action.
function dockerVerdict(name: string, call: Call, caps: Set<string>): number {
  for (const rule of DOCKER_DEFAULT_PROFILE.syscalls) {
    if (!(rule.names ?? []).includes(name)) continue;
    if (rule.includes?.caps && !rule.includes.caps.every((c) => caps.has(c))) continue;
    if (rule.includes?.arches && !rule.includes.arches.includes('amd64')) continue;
    if (rule.excludes?.caps?.some((c) => caps.has(c))) continue;
    const ok = (rule.args ?? []).every((a) => holds(a.op, call.args[a.index] ?? 0n, BigInt(a.value), BigInt(a.valueTwo ?? 0)));
    if (ok) return verdict(rule.action, rule.errnoRet);
  }
  return verdict(DOCKER_DEFAULT_PROFILE.defaultAction, DOCKER_DEFAULT_PROFILE.defaultErrnoRet);
}

// every call the shim knows on this architecture, by name and number
function syscallTable(): Map<string, number> {
  const names = [...fs.readFileSync(path.join(repo, 'native/shim/syscall-names.h'), 'utf8').matchAll(/\{"(\w+)", SYS_\w+\}/g)].map((m) => m[1]);
  const source = `#include <sys/syscall.h>\n${names.map((n) => `int ${n}_ = SYS_${n};`).join('\n')}\n`;
  const out = execFileSync('gcc', ['-E', '-P', '-'], { input: source, encoding: 'utf8' });
  return new Map([...out.matchAll(/int (\w+)_ = (\d+);/g)].map((m) => [m[1], Number(m[2])]));
}

// the argument values that tell the profile's conditions apart
const PROBE_ARGS: Record<string, bigint[][]> = {
  socket: [0n, 1n, 2n, 10n, 16n, 17n, 37n, 38n, 39n, 40n, 41n, 45n, (1n << 32n) + 38n, 0xffffffffn].map((d) => [d, 1n, 0n]),
  personality: [0n, 8n, 0x20000n, 0x20008n, 0xffffffffn, 0x40000n, 0x40008n, (1n << 32n) + 8n, 0xffffffffffffffffn].map((p) => [p]),
  clone: [0x11n, 0x11n | 0x20000n, 0x10000000n, 0x40000000n, 0x3d0f00n, 0x11n | 0x02000000n].map((f) => [f]),
};

describe('the default seccomp filter is docker\'s current default profile', () => {
  let t: TestEngine;
  let dir: string;
  let canary: HostCanary;
  before(async () => {
    canary = await hostCanary();
    t = await makeTestEngine();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-seccomp-'));
    fs.writeFileSync(path.join(dir, 'dump.c'), DUMP);
    fs.writeFileSync(path.join(dir, 'probe.c'), PROBE);
    execFileSync('gcc', ['-O2', '-o', path.join(dir, 'dump'), path.join(dir, 'dump.c')]);
    execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'probe'), path.join(dir, 'probe.c')]);
  });
  after(async () => {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
    await assertHostUnchanged(canary);
  });

  async function installedFilter(name: string, capAdd: string[]): Promise<Insn[]> {
    await t.engine.runContainer({ image: IMAGE, name, capAdd, network: 'none', cmd: ['sleep', '1000'] });
    const { state } = await t.engine.inspectContainer(name);
    const text = execFileSync(path.join(dir, 'dump'), [String(state.pid)], { encoding: 'utf8' });
    await t.engine.removeContainer(name, true);
    return text.trim().split('\n').map((l) => l.split(' ').map(Number) as Insn);
  }

  for (const capAdd of [[], ['SYS_ADMIN'], ['SYS_PTRACE', 'SYS_TIME']]) {
    it(`every system call gets docker's verdict (caps: default${capAdd.map((c) => ` + ${c}`).join('')})`, async () => {
      const prog = await installedFilter(`filter-${capAdd.join('-').toLowerCase() || 'default'}`, capAdd);
      const caps = new Set(effectiveCapabilities(false, capAdd, []));
      const differences: string[] = [];
      const table = syscallTable();
      assert.ok(table.size > 300, `only ${table.size} system calls known`);
      for (const [name, nr] of table) {
        for (const args of PROBE_ARGS[name] ?? [[]]) {
          const call = { nr, args };
          const got = runFilter(prog, call);
          const want = dockerVerdict(name, call, caps);
          if (got !== want) differences.push(`${name}(${args.map((a) => `0x${a.toString(16)}`).join(', ')}): strata ${got.toString(16)}, docker ${want.toString(16)}`);
        }
      }
      assert.deepEqual(differences, []);
      // a number no call has is refused, as anything docker does not name
      assert.equal(runFilter(prog, { nr: 1000, args: [] }), retErrno(1));
    });
  }

  it('a container sees docker\'s answers for AF_VSOCK, AF_ALG and personality(2), with --network none', async () => {
    const r = await runToEnd(t.engine, ['/probe/probe'], { network: 'none', mounts: [{ type: 'bind', source: dir, target: '/probe', readOnly: true }] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, [
      'socket(AF_VSOCK) EPERM', 'socket(AF_ALG) EPERM', 'socket(AF_UNIX) ok',
      'personality(ADDR_NO_RANDOMIZE) EPERM', 'personality(PER_LINUX32) ok', 'personality(PER_LINUX) ok', '',
    ].join('\n'));
  });

  it('--privileged and seccomp=unconfined run without a filter, as in docker', async () => {
    for (const extra of [{ privileged: true }, { securityOpt: ['seccomp=unconfined'] }]) {
      const r = await runToEnd(t.engine, ['/probe/probe'], { network: 'none', ...extra, mounts: [{ type: 'bind', source: dir, target: '/probe', readOnly: true }] });
      assert.match(r.stdout, /^personality\(ADDR_NO_RANDOMIZE\) ok$/m, JSON.stringify(extra));
      assert.doesNotMatch(r.stdout, /socket\(AF_ALG\) EPERM/, JSON.stringify(extra));
    }
  });

  it('a user profile\'s argument conditions are applied (docker\'s semantics: all of a rule\'s hold)', async () => {
    const profile = JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['personality'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
        { names: ['socket'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }, { index: 1, value: 0xf, valueTwo: 1, op: 'SCMP_CMP_MASKED_EQ' }] },
      ],
    });
    const r = await runToEnd(t.engine, ['/probe/probe'], { network: 'none', securityOpt: [`seccomp=${profile}`], mounts: [{ type: 'bind', source: dir, target: '/probe', readOnly: true }] });
    assert.match(r.stdout, /^personality\(PER_LINUX32\) EACCES$/m);
    assert.match(r.stdout, /^personality\(PER_LINUX\) ok$/m);
    assert.match(r.stdout, /^socket\(AF_UNIX\) EPERM$/m);
    assert.match(r.stdout, /^socket\(AF_ALG\) (ok|EAFNOSUPPORT)$/m); // this kernel may lack it
  });
});
