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


#define MAX_CONDS 6
// A rule's argument condition, compared on the whole 64-bit argument as libseccomp does.
struct arg_cond {
  unsigned index;
  enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MASKED_EQ } op;
  uint64_t value, value_two;
};

// "INDEX OP VALUE [VALUETWO]" (OP: eq ne lt le gt ge masked_eq; masked_eq's mask is VALUE and
// the wanted bits VALUETWO, docker's order)
static int parse_cond(const char *text, struct arg_cond *c, struct strata_error *err) {
  char op[16];
  unsigned long long value, two = 0;
  int got = sscanf(text, "%u %15s %llu %llu", &c->index, op, &value, &two);
  static const char *const names[] = {"eq", "ne", "lt", "le", "gt", "ge", "masked_eq"};
  if (got < 3 || c->index > 5) return make_error(err, EINVAL, "seccomp argument condition \"%s\"", text);
  size_t i = 0;
  while (i < sizeof names / sizeof names[0] && strcmp(names[i], op)) i++;
  if (i == sizeof names / sizeof names[0]) return make_error(err, EINVAL, "seccomp argument condition \"%s\"", text);
  c->op = i;
  c->value = value;
  c->value_two = two;
  return 0;
}

// Jumps to the end of a rule's block are patched once its length is known.
#define FAIL 0xff

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * 8)
#define ARG_HI(i) (ARG_LO(i) + 4) // both architectures are little-endian

// Emits the test of one condition: falls through when it holds, jumps to FAIL when not.
static size_t emit_cond(struct sock_filter *p, const struct arg_cond *c) {
  size_t n = 0;
  uint32_t hi = c->value >> 32, lo = (uint32_t)c->value;
#define LD(off) (p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off))
#define J(op, k, jt, jf) (p[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | (op) | BPF_K, k, jt, jf))
  switch (c->op) {
    case OP_EQ:
      LD(ARG_HI(c->index)); J(BPF_JEQ, hi, 0, FAIL);
      LD(ARG_LO(c->index)); J(BPF_JEQ, lo, 0, FAIL);
      break;
    case OP_NE:
      LD(ARG_HI(c->index)); J(BPF_JEQ, hi, 0, 2);
      LD(ARG_LO(c->index)); J(BPF_JEQ, lo, FAIL, 0);
      break;
    case OP_MASKED_EQ: {
      uint32_t mhi = c->value >> 32, mlo = (uint32_t)c->value;
      hi = c->value_two >> 32, lo = (uint32_t)c->value_two;
      LD(ARG_HI(c->index)); p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mhi); J(BPF_JEQ, hi, 0, FAIL);
      LD(ARG_LO(c->index)); p[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mlo); J(BPF_JEQ, lo, 0, FAIL);
      break;
    }
    case OP_GT:
    case OP_GE:
      // above in the high word: holds; below: fails; equal: the low word decides
      LD(ARG_HI(c->index)); J(BPF_JGT, hi, 3, 0); J(BPF_JEQ, hi, 0, FAIL);
      LD(ARG_LO(c->index)); J(c->op == OP_GT ? BPF_JGT : BPF_JGE, lo, 0, FAIL);
      break;
    case OP_LT:
    case OP_LE:
      LD(ARG_HI(c->index)); J(BPF_JGE, hi, 0, 3); J(BPF_JEQ, hi, 0, FAIL);
      LD(ARG_LO(c->index)); J(c->op == OP_LT ? BPF_JGE : BPF_JGT, lo, FAIL, 0);
      break;
  }
#undef LD
#undef J
  return n;
}

// One rule: NR, its conditions, its verdict; whatever fails lands on the reload of the call's
// number that the next rule expects in the accumulator. Returns the instructions written.
static size_t emit_rule(struct sock_filter *p, int nr, const struct arg_cond *conds, size_t nconds, uint32_t ret) {
  size_t n = 1;
  for (size_t i = 0; i < nconds; i++) n += emit_cond(p + n, &conds[i]);
  p[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
  size_t reload = n;
  if (nconds) p[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  p[0] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, reload - 1);
  for (size_t i = 1; i < reload; i++) {
    if (BPF_CLASS(p[i].code) != BPF_JMP) continue;
    if (p[i].jt == FAIL) p[i].jt = reload - i - 1;
    if (p[i].jf == FAIL) p[i].jf = reload - i - 1;
  }
  return n;
}

int seccomp_install(const struct spec *s, struct strata_error *err) {
  if (!s->seccomp) return 0;
  uint32_t verdict = SECCOMP_RET_ALLOW;
  if (s->seccomp_default && parse_action(s->seccomp_default, &verdict, err) < 0) return -1;
  // 14 fixed instructions (arch, x32, clone3, clone, the final verdict), two per call named and
  // up to eight per argument condition
  size_t cap = 16 + s->seccomp_deny.n * 2 + s->seccomp_rules.n * (3 + MAX_CONDS * 8);
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
  if (!s->seccomp_default) {
    // clone3 passes its flags in memory BPF cannot read: ENOSYS makes libc fall back to clone
    // (a profile says itself what clone3 gets, as docker's does)
    EMIT(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
  }
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
    // NAME \t ACTION [\t CONDITION]...
    const char *rule = s->seccomp_rules.v[i];
    char buf[512];
    if (strlen(rule) >= sizeof buf) {
      free(prog);
      return make_error(err, EINVAL, "seccomp rule \"%s\"", rule);
    }
    strcpy(buf, rule);
    char *fields[2 + MAX_CONDS + 1];
    size_t nfields = 0;
    for (char *save = NULL, *f = strtok_r(buf, "\t", &save); f && nfields < sizeof fields / sizeof fields[0]; f = strtok_r(NULL, "\t", &save))
      fields[nfields++] = f;
    struct arg_cond conds[MAX_CONDS];
    uint32_t ret;
    if (nfields < 2 || nfields > 2 + MAX_CONDS || strlen(fields[0]) >= 64) {
      free(prog);
      return make_error(err, EINVAL, "seccomp rule \"%s\"", rule);
    }
    if (parse_action(fields[1], &ret, err) < 0) {
      free(prog);
      return -1;
    }
    for (size_t c = 2; c < nfields; c++) {
      if (parse_cond(fields[c], &conds[c - 2], err) < 0) {
        free(prog);
        return -1;
      }
    }
    int nr = syscall_number(fields[0]);
    if (nr < 0) continue;
    n += emit_rule(prog + n, nr, conds, nfields - 2, ret);
  }
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, verdict);
#undef EMIT
  struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
  int rc = 0;
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0) rc = make_error(err, errno, "install seccomp filter");
  free(prog);
  return rc;
}
