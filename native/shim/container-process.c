// The container process from clone/fork to execve: cgroups, namespaces, root, stdio or pty,
// identity, capabilities, seccomp, then the command; a failure goes to the shim on the error pipe.
#include "container-process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "caps.h"
#include "host-options.h"
#include "seccomp.h"
#include "pty.h"
#include "rootfs.h"
#include "userns.h"
#include "workdir.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void init_report(int fd, const struct strata_error *err) {
  struct init_error e;
  memset(&e, 0, sizeof e);
  e.code = err->code ? err->code : 125;
  e.err = err->errnum;
  // cut to fit: one write below PIPE_BUF is atomic; nothing useful to do if it fails
  memcpy(e.msg, err->msg, strnlen(err->msg, sizeof e.msg - 1));
  if (write_all(fd, &e, sizeof e) < 0) return;
}

static int loopback_up(struct strata_error *err) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return make_error(err, errno, "socket for lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  int rc = 0;
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) rc = make_error(err, errno, "get flags of lo");
  else {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) rc = make_error(err, errno, "bring lo up");
  }
  close(s);
  return rc;
}

static int mark_fds_cloexec(struct strata_error *err) {
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
  if (errno != ENOSYS && errno != EINVAL) return make_error(err, errno, "close_range");
  // kernels before 5.11: walk /proc/self/fd
  int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return make_error(err, errno, "open /proc/self/fd");
  char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
    if (n < 0) {
      int e = errno;
      close(dfd);
      return make_error(err, e, "read /proc/self/fd");
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      struct { unsigned long long ino; long long off; unsigned short reclen; unsigned char type; char name[]; } *d =
          (void *)(buf + off);
      off += d->reclen;
      int fd = atoi(d->name);
      if (fd > 2 && fd != dfd) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
  }
  close(dfd);
  return 0;
}

// Like Go's exec.LookPath, which docker uses: the first regular file with an x bit.
static int resolve_command(const struct spec *s, char *out, size_t outlen, struct strata_error *err) {
  const char *cmd = s->args.v[0];
  if (strchr(cmd, '/')) {
    if ((size_t)snprintf(out, outlen, "%s", cmd) >= outlen) return make_error(err, ENAMETOOLONG, "exec %s", cmd);
    return 0;
  }
  const char *path = spec_getenv(s, "PATH");
  if (!path) path = DEFAULT_PATH;
  const char *p = path;
  while (*cmd) {
    const char *end = strchrnul(p, ':');
    size_t dlen = end - p;
    const char *dir = dlen ? p : ".";
    if (dlen == 0) dlen = 1;
    if ((size_t)snprintf(out, outlen, "%.*s/%s", (int)dlen, dir, cmd) < outlen) {
      struct stat st;
      if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) return 0;
    }
    if (!*end) break;
    p = end + 1;
  }
  make_error(err, 0, "exec: \"%s\": executable file not found in $PATH", cmd);
  err->errnum = ENOENT;
  err->code = 127;
  return -1;
}

int init_exec_process(const struct spec *s, const struct before_execve *last, struct strata_error *err) {
  if (s->cwd && *s->cwd && workdir_enter(s->cwd, err) < 0) return -1;
  if (apply_rlimits(s, err) < 0) return -1; // while we may still raise a hard limit
  // Without no_new_privs, installing a filter takes CAP_SYS_ADMIN: do it while we still hold
  // it, before the capabilities go (as runc does); the setup below only uses calls it allows.
  if (!s->no_new_privs && seccomp_install(s, err) < 0) return -1;
  if (caps_clear_ambient(err) < 0 || caps_drop_bounding(s->caps, err) < 0) return -1;
  if (setgroups(s->ngroups, s->groups) < 0) return make_error(err, errno, "setgroups");
  if (setresgid(s->gid, s->gid, s->gid) < 0) return make_error(err, errno, "setresgid %u", (unsigned)s->gid);
  if (setresuid(s->uid, s->uid, s->uid) < 0) return make_error(err, errno, "setresuid %u", (unsigned)s->uid);
  if (caps_set(s->uid == 0 ? s->caps : 0, err) < 0) return -1;
  if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return make_error(err, errno, "set no_new_privs");
  if (mark_fds_cloexec(err) < 0) return -1;
  char path[4096];
  if (resolve_command(s, path, sizeof path, err) < 0) return -1;
  umask(022);
  // with no_new_privs, last: from here on the filter would refuse what the setup above needed
  if (s->no_new_privs && seccomp_install(s, err) < 0) return -1;
  if (last && last->run(last->arg, err) < 0) return -1;
  static char *const no_env[] = {NULL};
  execve(path, s->args.v, s->env.n ? s->env.v : no_env);
  int e = errno;
  make_error(err, e, "exec %s", path);
  err->code = e == ENOENT ? 127 : 126;
  return -1;
}

static int setup_stdio(const struct init_args *a, struct strata_error *err) {
  if (a->stdin_fd >= 0 && dup2(a->stdin_fd, 0) < 0) return make_error(err, errno, "dup2 stdin");
  if (a->stdout_fd >= 0 && dup2(a->stdout_fd, 1) < 0) return make_error(err, errno, "dup2 stdout");
  if (a->stderr_fd >= 0 && dup2(a->stderr_fd, 2) < 0) return make_error(err, errno, "dup2 stderr");
  return 0;
}

static int setup_tty(int sock, struct strata_error *err) {
  int slave = -1;
  int master = pty_open("/dev/pts/ptmx", &slave, err);
  if (master < 0) return -1;
  int rc = 0;
  if (ioctl(slave, TIOCSCTTY, 0) < 0) rc = make_error(err, errno, "set controlling terminal");
  else if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) rc = make_error(err, errno, "dup2 pty slave");
  else if (pty_send_fd(sock, master) < 0) rc = make_error(err, errno, "send pty master to the shim");
  close(master);
  if (slave > 2) close(slave);
  return rc;
}

// The engine prepared the namespace (veth, address, routes) before the process runs.
static int join_netns(const char *path, struct strata_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open network namespace %s", path);
  int rc = setns(fd, CLONE_NEWNET) < 0 ? make_error(err, errno, "join network namespace %s", path) : 0;
  close(fd);
  return rc;
}

// The process moves itself: "0" written to a cgroup v1 `tasks` file moves the calling thread
// alone, and for that the kernel does not take its cgroup threadgroup rwsem for writing, whose
// RCU grace period is most of a start otherwise (9-16 ms measured here for a write of a pid to
// cgroup.procs, 0.02 ms for this). Single-threaded as we are, the thread is the process. The
// engine names `tasks` for v1 groups and cgroup.procs for a v2 one.
static int join_cgroups(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->cgroup_join.n; i++)
    if (write_file(s->cgroup_join.v[i], "0\n", 2, err) < 0) return -1;
  return 0;
}

static int setup_container(const struct init_args *a, struct strata_error *err) {
  const struct spec *s = a->spec;
  if (join_cgroups(s, err) < 0) return -1;
  if (setsid() < 0) return make_error(err, errno, "setsid");
  bool userns = spec_has_userns(s);
  // in a user namespace the shim joined these for us before clone (ours could not)
  if (!userns && s->netns && join_netns(s->netns, err) < 0) return -1;
  // before the mounts: /dev/mqueue shows the ipc namespace of whoever mounts it
  if (!userns && ns_join_others(s, err) < 0) return -1;
  if (s->has_oom_score_adj) {
    char v[16];
    int len = snprintf(v, sizeof v, "%d", s->oom_score_adj);
    if (write_file("/proc/self/oom_score_adj", v, len, err) < 0) return -1;
  }
  // the cgroup files above and the store's directories on the way to the root are the host
  // root's: written and passed while we still were it
  int rootfd = -1;
  if ((s->ns_flags & CLONE_NEWNS) && (rootfd = rootfs_enter(s, err)) < 0) return -1;
  if (userns && userns_become_root(err) < 0) {
    if (rootfd >= 0) close(rootfd);
    return -1;
  }
  // after joining our cgroups, so that they become the namespace's root
  if ((s->ns_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
    if (rootfd >= 0) close(rootfd);
    return make_error(err, errno, "unshare cgroup namespace");
  }
  if (setup_stdio(a, err) < 0) {
    if (rootfd >= 0) close(rootfd);
    return -1;
  }
  if (rootfd >= 0) {
    // sysctls while /proc/sys is still writable: rootfs_finish makes it read-only
    if (rootfs_prepare(s, rootfd, err) < 0 || write_sysctls(s, err) < 0 || rootfs_finish(s, err) < 0) return -1;
  }
  if ((s->ns_flags & CLONE_NEWUTS) && s->hostname && *s->hostname &&
      sethostname(s->hostname, strlen(s->hostname)) < 0)
    return make_error(err, errno, "sethostname %s", s->hostname);
  if ((s->ns_flags & CLONE_NEWUTS) && s->domainname && *s->domainname &&
      setdomainname(s->domainname, strlen(s->domainname)) < 0)
    return make_error(err, errno, "setdomainname %s", s->domainname);
  // a prepared namespace has lo up already, and in a user namespace it is not ours to change
  if ((s->ns_flags & CLONE_NEWNET || (s->netns && !userns)) && loopback_up(err) < 0) return -1;
  if (s->tty && setup_tty(a->pty_sock, err) < 0) return -1;
  if (a->pty_sock >= 0) close(a->pty_sock);
  return 0;
}

_Noreturn void init_container(const struct init_args *a) {
  struct strata_error err = {0};
  sigset_t none;
  sigemptyset(&none);
  int rc = 0;
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) rc = make_error(&err, errno, "unblock signals");
  else if (signal(SIGPIPE, SIG_DFL) == SIG_ERR) rc = make_error(&err, errno, "restore SIGPIPE");

  char go;
  if (read_full(a->sync_fd, &go, 1) != 1) _exit(1); // the shim gave up on us
  close(a->sync_fd);
  umask(0);
  if (rc == 0 && setup_container(a, &err) == 0) init_exec_process(a->spec, NULL, &err);
  init_report(a->error_fd, &err);
  _exit(err.code ? err.code : 125);
}
