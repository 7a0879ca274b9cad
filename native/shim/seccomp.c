// The container's seccomp filter: the engine names the system calls to refuse (docker's default
// profile, less what the container's capabilities re-allow); this file turns the names into a
// classic BPF program and installs it as the last step before execve.
#include "seccomp.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
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

// Only the calls a profile may name; a name this architecture lacks cannot be called anyway.
#define SC(n) {#n, SYS_##n}
static const struct named_syscall known[] = {
    SC(acct), SC(add_key), SC(bpf), SC(clock_adjtime), SC(clock_settime), SC(delete_module),
    SC(finit_module), SC(fanotify_init), SC(get_mempolicy), SC(init_module), SC(io_uring_enter),
    SC(io_uring_register), SC(io_uring_setup), SC(kcmp), SC(kexec_file_load), SC(kexec_load), SC(keyctl),
    SC(lookup_dcookie), SC(mbind), SC(mount), SC(move_mount), SC(fsopen), SC(fsconfig), SC(fsmount),
    SC(fspick), SC(open_tree), SC(move_pages), SC(name_to_handle_at), SC(open_by_handle_at),
    SC(perf_event_open), SC(pidfd_getfd), SC(pivot_root), SC(process_madvise), SC(process_vm_readv),
    SC(process_vm_writev), SC(ptrace), SC(quotactl), SC(reboot), SC(request_key), SC(set_mempolicy),
    SC(setns), SC(settimeofday), SC(swapon), SC(swapoff), SC(syslog), SC(umount2), SC(unshare),
    SC(userfaultfd), SC(vhangup), SC(mount_setattr), SC(quotactl_fd),
#ifdef SYS_iopl
    SC(iopl),
#endif
#ifdef SYS_ioperm
    SC(ioperm),
#endif
#ifdef SYS_create_module
    SC(create_module),
#endif
#ifdef SYS_get_kernel_syms
    SC(get_kernel_syms),
#endif
#ifdef SYS_query_module
    SC(query_module),
#endif
#ifdef SYS_nfsservctl
    SC(nfsservctl),
#endif
#ifdef SYS_uselib
    SC(uselib),
#endif
#ifdef SYS_ustat
    SC(ustat),
#endif
#ifdef SYS_sysfs
    SC(sysfs),
#endif
#ifdef SYS__sysctl
    SC(_sysctl),
#endif
};

static int syscall_number(const char *name) {
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strcmp(known[i].name, name)) return known[i].nr;
  return -1;
}

int seccomp_install(const struct spec *s, struct strata_error *err) {
  if (!s->seccomp) return 0;
  // 14 fixed instructions (arch, x32, clone3, clone, the final verdict) and two per denied call
  size_t cap = 16 + s->seccomp_deny.n * 2;
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
  prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#undef EMIT
  struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
  int rc = 0;
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0) rc = make_error(err, errno, "install seccomp filter");
  free(prog);
  return rc;
}
