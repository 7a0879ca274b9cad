// `strata-shim exec`: enter a running container's namespaces and cgroups, run a process
// there and relay its stdio, in the foreground.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "container-process.h"
#include "pty.h"
#include "shim.h"
#include "spec.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define CLONE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#define DRAIN_IDLE_MS 200
#define DRAIN_MAX_MS 2000

extern char **environ;

// A process in the container could open /proc/<helper>/exe and overwrite the host binary
// (CVE-2019-5736). Running from a sealed, unlinked memfd copy leaves nothing to overwrite.
static int ensure_cloned_binary(char **argv, struct strata_error *err) {
  int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0) return make_error(err, errno, "open /proc/self/exe");
  int seals = fcntl(self, F_GET_SEALS);
  if (seals >= 0 && (seals & CLONE_SEALS) == CLONE_SEALS) {
    close(self);
    return 0;
  }
  int mfd = memfd_create("strata-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (mfd < 0 && errno == EINVAL) mfd = memfd_create("strata-shim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0) {
    int e = errno;
    close(self);
    return make_error(err, e, "memfd_create");
  }
  struct stat st;
  int rc = 0;
  if (fstat(self, &st) < 0) rc = make_error(err, errno, "stat /proc/self/exe");
  for (off_t left = st.st_size; rc == 0 && left > 0;) {
    ssize_t n = sendfile(mfd, self, NULL, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) rc = make_error(err, n < 0 ? errno : EIO, "copy /proc/self/exe to memfd");
    else left -= n;
  }
  close(self);
  if (rc == 0 && fcntl(mfd, F_ADD_SEALS, CLONE_SEALS) < 0) rc = make_error(err, errno, "seal memfd");
  if (rc == 0) {
    fexecve(mfd, argv, environ);
    rc = make_error(err, errno, "re-exec from memfd");
  }
  close(mfd);
  return rc;
}

// Whatever the starter left open without CLOEXEC (a shell's `exec 7</etc`) would otherwise be
// /proc/self/fd/7 in the container, a way onto the host for a working directory or a ptrace
// (CVE-2024-21626). Nothing of ours is open yet but stdio.
static int close_inherited_fds(struct strata_error *err) {
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return 0;
  if (errno != ENOSYS) return make_error(err, errno, "close inherited fds");
  // kernels before 5.9
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) < 0) return make_error(err, errno, "getrlimit RLIMIT_NOFILE");
  for (rlim_t fd = 3; fd < lim.rlim_cur; fd++) close((int)fd);
  return 0;
}

static const struct { const char *name; int flag; } ns_order[] = {
    {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
    {"cgroup", CLONE_NEWCGROUP}, {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},
};
#define NS_COUNT (sizeof ns_order / sizeof ns_order[0])

// Joins every namespace but the pid one, whose fd goes to *pidns (-1 when not shared): a
// process of ours the container can see must be made after the privileges are dropped.
// The container's user namespace, when it is not ours (-1 otherwise): only the launcher enters
// it, last but the pid one, so that the helper keeps its host privileges for the relay.
static int user_namespace_of(pid_t pid, struct strata_error *err) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open %s", path);
  struct stat theirs, ours;
  if (fstat(fd, &theirs) < 0 || stat("/proc/self/ns/user", &ours) < 0) {
    int e = errno;
    close(fd);
    return make_error(err, e, "stat user namespaces");
  }
  if (theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev) {
    close(fd);
    return -2;
  }
  return fd;
}

static int join_container(const struct spec *s, int *pidns, int *userns, struct strata_error *err) {
  int fds[NS_COUNT];
  int rc = 0;
  // open every namespace first: after joining the mount namespace /proc is the container's
  for (size_t i = 0; i < NS_COUNT; i++) {
    fds[i] = -1;
    if (rc < 0 || !(s->ns_flags & ns_order[i].flag)) continue;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)s->target_pid, ns_order[i].name);
    fds[i] = open(path, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) rc = make_error(err, errno, "open %s", path);
  }
  *userns = -1;
  if (rc == 0) {
    int fd = user_namespace_of(s->target_pid, err);
    if (fd == -1) rc = -1;
    else if (fd >= 0) *userns = fd;
  }
  // ourselves, single-threaded, through v1 `tasks`: no wait for the kernel (see join_cgroups, init.c)
  for (size_t i = 0; rc == 0 && i < s->cgroup_join.n; i++) rc = write_file(s->cgroup_join.v[i], "0\n", 2, err);
  for (size_t i = 0; rc == 0 && i < NS_COUNT; i++)
    if (fds[i] >= 0 && ns_order[i].flag != CLONE_NEWPID && setns(fds[i], ns_order[i].flag) < 0)
      rc = make_error(err, errno, "join %s namespace of pid %d", ns_order[i].name, (int)s->target_pid);
  *pidns = -1;
  for (size_t i = 0; i < NS_COUNT; i++) {
    if (fds[i] < 0) continue;
    if (rc == 0 && ns_order[i].flag == CLONE_NEWPID) *pidns = fds[i];
    else close(fds[i]);
  }
  if (rc < 0 && *userns >= 0) {
    close(*userns);
    *userns = -1;
  }
  return rc;
}

struct relay {
  pid_t child;
  int status;
  bool exited;
  int master;        // tty
  int in_fd;         // container stdin (pipe or master)
  int out_fd, err_fd;
  bool stdin_open;   // still reading our own stdin
  char pending[65536];
  size_t pending_len;
  int sigfd;
};

struct launch {
  int pid_fd; // write end: the visible process's pid, for the helper
  bool tty;
};

// Runs in the launcher after the seccomp filter, before execve. The launcher is outside the
// container's pid namespace, so nothing in the container can see or ptrace it; the process
// forked here is the first it can see, and it already has the container's identity,
// capabilities and seccomp filter (runc's and crun's order; with CAP_SYS_PTRACE a container
// could otherwise seize it while it held ours and write to the host file behind our stdout).
// The launcher then exits and the process is reparented to the helper, a child subreaper.
static int fork_visible_process(void *arg, struct strata_error *err) {
  const struct launch *l = arg;
  // setresuid left dumpability to fs.suid_dumpable; execve sets it again
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) return make_error(err, errno, "become non-dumpable");
  pid_t pid = fork();
  if (pid < 0) return make_error(err, errno, "fork into the container");
  if (pid > 0) {
    int32_t visible = pid;
    _exit(write_all(l->pid_fd, &visible, sizeof visible) < 0 ? 125 : 0);
  }
  close(l->pid_fd);
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) return make_error(err, errno, "unblock signals");
  if (signal(SIGPIPE, SIG_DFL) == SIG_ERR) return make_error(err, errno, "restore SIGPIPE");
  if (setsid() < 0) return make_error(err, errno, "setsid");
  if (l->tty && ioctl(0, TIOCSCTTY, 0) < 0) return make_error(err, errno, "set controlling terminal");
  return 0;
}

// The launcher: the process's stdio, then the pid namespace (which only its children enter),
// then init_exec_process, which forks the visible process in fork_visible_process.
static _Noreturn void launch(const struct spec *s, const struct relay *r, int pidns, int userns, const int stdio[3],
                             int pid_fd, int err_fd) {
  struct strata_error err = {0};
  int rc = 0;
  if (s->tty) {
    int slave = ioctl(r->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) rc = make_error(&err, errno, "open pty slave");
    else if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) rc = make_error(&err, errno, "dup2 pty slave");
    if (slave > 2) close(slave);
    close(r->master);
  } else if (dup2(stdio[0], 0) < 0 || dup2(stdio[1], 1) < 0 || dup2(stdio[2], 2) < 0) {
    rc = make_error(&err, errno, "dup2 pipes");
  }
  if (rc == 0 && userns >= 0 && setns(userns, CLONE_NEWUSER) < 0)
    rc = make_error(&err, errno, "join user namespace of pid %d", (int)s->target_pid);
  if (userns >= 0) close(userns);
  if (rc == 0 && pidns >= 0 && setns(pidns, CLONE_NEWPID) < 0)
    rc = make_error(&err, errno, "join pid namespace of pid %d", (int)s->target_pid);
  if (pidns >= 0) close(pidns);
  struct launch l = {.pid_fd = pid_fd, .tty = s->tty};
  struct before_execve last = {.run = fork_visible_process, .arg = &l};
  if (rc == 0) init_exec_process(s, &last, &err);
  init_report(err_fd, &err);
  _exit(err.code ? err.code : 125);
}


static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// Our stdout may be non-blocking (shared with a node parent): wait instead of dropping.
static void write_out(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        poll(&p, 1, 1000);
        continue;
      }
      return;
    }
    data += n;
    len -= n;
  }
}

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

// Copies what *fd has to `to`; at EOF or an error closes it, forgetting it wherever r holds it
// (a pty master is input and output at once).
static void relay_output(struct relay *r, int *fd, int to) {
  char chunk[65536];
  ssize_t got = read(*fd, chunk, sizeof chunk);
  if (got > 0) {
    write_out(to, chunk, got);
    return;
  }
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return;
  int closing = *fd;
  if (r->in_fd == closing) r->in_fd = -1;
  if (r->master == closing) r->master = -1;
  close(closing);
  *fd = -1;
}

static void relay_loop(struct relay *r) {
  long long deadline = 0;
  if (r->out_fd >= 0) set_nonblock(r->out_fd, true);
  if (r->err_fd >= 0) set_nonblock(r->err_fd, true);
  if (r->in_fd >= 0 && r->in_fd != r->master) set_nonblock(r->in_fd, true);
  for (;;) {
    if (r->exited && r->out_fd < 0 && r->err_fd < 0) break;
    if (r->exited && !deadline) deadline = now_ms() + DRAIN_MAX_MS;
    struct pollfd p[5];
    int np = 0, i_sig, i_stdin = -1, i_out = -1, i_err = -1, i_in = -1;
    p[i_sig = np++] = (struct pollfd){.fd = r->sigfd, .events = POLLIN};
    if (r->stdin_open && r->in_fd >= 0 && r->pending_len == 0) p[i_stdin = np++] = (struct pollfd){.fd = 0, .events = POLLIN};
    if (r->out_fd >= 0) p[i_out = np++] = (struct pollfd){.fd = r->out_fd, .events = POLLIN};
    if (r->err_fd >= 0) p[i_err = np++] = (struct pollfd){.fd = r->err_fd, .events = POLLIN};
    if (r->in_fd >= 0 && r->pending_len) p[i_in = np++] = (struct pollfd){.fd = r->in_fd, .events = POLLOUT};
    int timeout = -1;
    if (r->exited) {
      long long left = deadline - now_ms();
      timeout = left < 0 ? 0 : left < DRAIN_IDLE_MS ? (int)left : DRAIN_IDLE_MS;
    }
    int n = poll(p, np, timeout);
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && r->exited) break;
    if (n <= 0) continue;
    if (p[i_sig].revents) {
      struct signalfd_siginfo si;
      while (read(r->sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          int st;
          if (!r->exited && waitpid(r->child, &st, WNOHANG) == r->child) {
            r->exited = true;
            r->status = st;
          }
        } else if (si.ssi_signo == SIGWINCH) {
          if (r->master >= 0) copy_winsize(r->master);
        } else if (!r->exited) {
          kill(r->child, (int)si.ssi_signo);
        }
      }
    }
    if (i_stdin >= 0 && p[i_stdin].revents) {
      ssize_t got = read(0, r->pending, sizeof r->pending);
      if (got > 0) {
        r->pending_len = got;
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        r->stdin_open = false;
        // a pipe gets EOF; a terminal session just stops taking input
        if (r->in_fd != r->master) {
          close(r->in_fd);
          r->in_fd = -1;
        }
      }
    }
    if (i_out >= 0 && p[i_out].revents) relay_output(r, &r->out_fd, 1);
    if (i_err >= 0 && p[i_err].revents) relay_output(r, &r->err_fd, 2);
    if (r->in_fd >= 0 && r->pending_len && (i_in < 0 || p[i_in].revents || i_stdin >= 0)) {
      ssize_t w = write(r->in_fd, r->pending, r->pending_len);
      if (w > 0) {
        memmove(r->pending, r->pending + w, r->pending_len - w);
        r->pending_len -= w;
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        r->pending_len = 0;
        r->stdin_open = false;
        if (r->in_fd != r->master) close(r->in_fd);
        r->in_fd = -1;
      }
    }
  }
}

static _Noreturn void die(struct strata_error *err) {
  fprintf(stderr, "strata-shim: %s\n", err->msg);
  exit(err->code ? err->code : 125);
}

int shim_exec(char **argv, const char *spec_path) {
  struct strata_error err = {0};
  if (close_inherited_fds(&err) < 0) die(&err);
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
    make_error(&err, errno, "become non-dumpable");
    die(&err);
  }
  if (ensure_cloned_binary(argv, &err) < 0) die(&err);
  // execve reset it: set it again before entering anything
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
    make_error(&err, errno, "become non-dumpable");
    die(&err);
  }
  struct spec s;
  if (spec_load(spec_path, &s, &err) < 0) die(&err);
  if (s.target_pid <= 0) {
    make_error(&err, 0, "spec %s: exec needs target_pid", spec_path);
    die(&err);
  }
  if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
    make_error(&err, errno, "ignore SIGPIPE");
    die(&err);
  }
  sigset_t sigs;
  sigemptyset(&sigs);
  int forwarded[] = {SIGCHLD, SIGWINCH, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
  for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaddset(&sigs, forwarded[i]);
  if (sigprocmask(SIG_BLOCK, &sigs, NULL) < 0) {
    make_error(&err, errno, "block signals");
    die(&err);
  }
  struct relay r = {.master = -1, .in_fd = -1, .out_fd = -1, .err_fd = -1, .stdin_open = true};
  if ((r.sigfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
    make_error(&err, errno, "signalfd");
    die(&err);
  }
  // the process the launcher forks is handed to us when the launcher exits
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
    make_error(&err, errno, "become a child subreaper");
    die(&err);
  }
  int pidns, userns;
  if (join_container(&s, &pidns, &userns, &err) < 0) die(&err);

  int inp[2] = {-1, -1}, outp[2] = {-1, -1}, errpp[2] = {-1, -1}, errp[2] = {-1, -1}, launched[2] = {-1, -1};
  if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(launched, O_CLOEXEC) < 0) {
    make_error(&err, errno, "pipe");
    die(&err);
  }
  if (s.tty) {
    int unlock = 0;
    r.master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (r.master < 0) {
      make_error(&err, errno, "open /dev/pts/ptmx in the container");
      die(&err);
    }
    if (ioctl(r.master, TIOCSPTLCK, &unlock) < 0) {
      make_error(&err, errno, "unlock pty");
      die(&err);
    }
    if (isatty(0)) copy_winsize(r.master);
    r.in_fd = r.out_fd = r.master;
  } else if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0 || pipe2(errpp, O_CLOEXEC) < 0) {
    make_error(&err, errno, "pipe");
    die(&err);
  }

  pid_t launcher = fork();
  if (launcher < 0) {
    make_error(&err, errno, "fork the launcher");
    die(&err);
  }
  if (launcher == 0) {
    close(errp[0]);
    close(launched[0]);
    close(r.sigfd);
    launch(&s, &r, pidns, userns, (int[3]){inp[0], outp[1], errpp[1]}, launched[1], errp[1]);
  }
  close(errp[1]);
  close(launched[1]);
  if (pidns >= 0) close(pidns);
  if (userns >= 0) close(userns);
  if (!s.tty) {
    close(inp[0]);
    close(outp[1]);
    close(errpp[1]);
    r.in_fd = inp[1];
    r.out_fd = outp[0];
    r.err_fd = errpp[0];
  }
  struct init_error ie;
  ssize_t n = read_full(errp[0], &ie, sizeof ie);
  close(errp[0]);
  int32_t visible = 0;
  ssize_t got = n > 0 ? 0 : read_full(launched[0], &visible, sizeof visible);
  close(launched[0]);
  int st;
  while (waitpid(launcher, &st, 0) < 0 && errno == EINTR) {
  }
  if (n > 0) {
    ie.msg[sizeof ie.msg - 1] = 0;
    fprintf(stderr, "strata-shim: %s\n", ie.msg);
    return ie.code ? ie.code : 125;
  }
  if (got != sizeof visible) {
    fprintf(stderr, "strata-shim: the launcher of the process in the container died (status %d)\n", st);
    return 125;
  }
  pid_t pid = visible;
  r.child = pid;

  struct termios saved;
  bool raw = false;
  if (s.tty && isatty(0) && tcgetattr(0, &saved) == 0) {
    struct termios t = saved;
    cfmakeraw(&t);
    raw = tcsetattr(0, TCSANOW, &t) == 0;
  }
  relay_loop(&r);
  if (raw) tcsetattr(0, TCSANOW, &saved);
  while (!r.exited) {
    int st;
    pid_t p = waitpid(pid, &st, 0);
    if (p == pid) {
      r.exited = true;
      r.status = st;
    } else if (p < 0 && errno != EINTR) {
      break;
    }
  }
  if (r.in_fd >= 0 && r.in_fd != r.master) close(r.in_fd);
  if (r.out_fd >= 0) close(r.out_fd);
  if (r.err_fd >= 0) close(r.err_fd);
  if (r.master >= 0 && r.master != r.out_fd) close(r.master);
  close(r.sigfd);
  spec_free(&s);
  if (WIFSIGNALED(r.status)) return 128 + WTERMSIG(r.status);
  return WEXITSTATUS(r.status);
}
