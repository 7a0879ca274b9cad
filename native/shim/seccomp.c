// The container's seccomp filter: the engine names the system calls to refuse (docker's default
// profile, less what the container's capabilities re-allow) or a user profile's rules and
// default action; this file turns them into a classic BPF program and installs it.
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "strata's seccomp filter knows x86_64 and aarch64"
#endif

#define X32_SYSCALL_BIT 0x40000000
#define NAMESPACE_FLAGS \
  (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

struct named_syscall {
  const char *name;
  int nr;
};

// Every call a profile may name; a name this architecture lacks cannot be called anyway.
static const struct named_syscall known[] = {
#include "syscall-names.h"
};

static int syscall_number(const char *name) {
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strcmp(known[i].name, name)) return known[i].nr;
  return -1;
}

// `allow`, `errno N`, `kill_process`, `kill_thread`, `trap`, `log` → a filter's return value.
static int parse_action(const char *action, uint32_t *ret, struct strata_error *err) {
  unsigned errnum;
  char end;
  if (!strcmp(action, "allow")) *ret = SECCOMP_RET_ALLOW;
  else if (!strcmp(action, "kill_process")) *ret = SECCOMP_RET_KILL_PROCESS;
  else if (!strcmp(action, "kill_thread")) *ret = SECCOMP_RET_KILL_THREAD;
  else if (!strcmp(action, "trap")) *ret = SECCOMP_RET_TRAP;
  else if (!strcmp(action, "log")) *ret = SECCOMP_RET_LOG;
  else if (sscanf(action, "errno %u%c", &errnum, &end) == 1 && errnum <= SECCOMP_RET_DATA) *ret = SECCOMP_RET_ERRNO | errnum;
  else return make_error(err, EINVAL, "seccomp action \"%s\"", action);
  return 0;
}

int seccomp_install(const struct spec *s, struct strata_error *err) {
  if (!s->seccomp) return 0;
  uint32_t verdict = SECCOMP_RET_ALLOW;
  if (s->seccomp_default && parse_action(s->seccomp_default, &verdict, err) < 0) return -1;
  // 14 fixed instructions (arch, x32, clone3, clone, the final verdict) and two per call named
  size_t cap = 16 + (s->seccomp_deny.n + s->seccomp_rules.n) * 2;
  struct sock_filter *prog = calloc(cap, sizeof *prog);
  if (!prog) return make_error(err, ENOMEM, "seccomp filter");
  size_t n = 0;
#define EMIT(code, k, jt, jf) (prog[n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf))
  // A foreign ABI (i386, x32) would bypass the numbers below: refuse it outright.
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  EMIT(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0);
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
  EMIT(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
#endif
  // clone3 passes its flags in memory BPF cannot read: ENOSYS makes libc fall back to clone
  EMIT(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
  if (s->seccomp_deny_clone_ns) {
    // clone creating namespaces (a user namespace needs no capability): refused
    // (the accumulator holds the flags from here on, so both outcomes return)
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    EMIT(BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  }
  for (size_t i = 0; i < s->seccomp_deny.n; i++) {
    int nr = syscall_number(s->seccomp_deny.v[i]);
    if (nr < 0) continue;
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
  }
  for (size_t i = 0; i < s->seccomp_rules.n; i++) {
    const char *rule = s->seccomp_rules.v[i];
    const char *tab = strchr(rule, '\t');
    char name[64];
    uint32_t ret;
    if (!tab || (size_t)(tab - rule) >= sizeof name) {
      free(prog);
      return make_error(err, EINVAL, "seccomp rule \"%s\"", rule);
    }
    memcpy(name, rule, tab - rule);
    name[tab - rule] = 0;
    if (parse_action(tab + 1, &ret, err) < 0) {
      free(prog);
      return -1;
    }
    int nr = syscall_number(name);
    if (nr < 0) continue;
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
  }
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, verdict);
#undef EMIT
  struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
  int rc = 0;
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0) rc = make_error(err, errno, "install seccomp filter");
  free(prog);
  return rc;
}
