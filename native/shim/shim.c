// strata-shim: the per-container monitor (`run`) and the exec helper (`exec`).
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "container-process.h"
#include "host-options.h"
#include "health.h"
#include "log.h"
#include "pty.h"
#include "restart.h"
#include "spec.h"
#include "slirp.h"
#include "userns.h"

#define STDIN_BUFFER_MAX (1024 * 1024)
#define DRAIN_IDLE_MS 200
#define DRAIN_MAX_MS 2000
#define ATTACH_WAIT_MS 10000

struct shim {
  struct spec spec;
  struct attach attach;
  struct log_writer log;
  int sigfd;
  pid_t child;
  int wstatus;
  bool exited;
  int out_fd, err_fd; // container output (tty: out_fd is the pty master)
  int in_fd;          // container stdin (tty: the master again), -1 when closed
  int master;
  struct buf stdin_buf;
  bool close_stdin_pending;
  struct health health;
  int userns_fd; // a namespace with the container's maps, for idmapped mounts; -1 without
  int *layer_trees; // the idmapped layers' detached mounts, -1-terminated (userns_mount_overlay)
  int slirp_exit_fd; // rootless networking: slirp4netns of this run lives while it is open; -1 without
};

// SIGCHLD to reap; the others are passed on to the container, like conmon does, so a stray
// signal to the monitor never leaves the container unmonitored.
static const int handled_signals[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void reap(struct shim *sh) {
  int st;
  pid_t p;
  // we are a subreaper: orphans of a container without its own pid namespace land here
  while ((p = waitpid(-1, &st, WNOHANG)) > 0)
    if (p == sh->child) {
      sh->exited = true;
      sh->wstatus = st;
      health_stop(&sh->health); // no check of a container that is gone
    } else {
      health_reaped(&sh->health, p, st);
    }
}

static void take_signals(struct shim *sh) {
  struct signalfd_siginfo si;
  while (read(sh->sigfd, &si, sizeof si) == sizeof si)
    if (si.ssi_signo != SIGCHLD && !sh->exited) kill(sh->child, (int)si.ssi_signo);
  reap(sh);
}

// The client that asked to attach may die before it connects (a killed `run`): then the
// container runs detached, as docker's does when its client goes away, instead of the monitor
// waiting for nobody. Gone is the status pipe's reader closing, or no client within the
// deadline; a container killed meanwhile (`stop`, `kill`) ends the wait too.
static void wait_attach_client(struct shim *sh) {
  long long deadline = now_ms() + ATTACH_WAIT_MS;
  while (sh->attach.n == 0 && !sh->exited) {
    long long left = deadline - now_ms();
    if (left <= 0) return;
    struct pollfd p[3] = {{.fd = sh->attach.listen_fd, .events = POLLIN},
                          {.fd = sh->sigfd, .events = POLLIN},
                          {.fd = status_pollfd(), .events = 0}};
    int n = poll(p, p[2].fd >= 0 ? 3 : 2, (int)left);
    if (n < 0 && errno != EINTR) return;
    if (n <= 0) continue;
    if (p[1].revents) take_signals(sh);
    if (p[0].revents) attach_accept(&sh->attach);
    if (p[2].fd >= 0 && p[2].revents & (POLLERR | POLLHUP | POLLNVAL)) return;
  }
}

static int write_pid_file(const struct spec *s, pid_t child, struct strata_error *err) {
  if (!s->pid_file) return 0;
  char line[64];
  int len = snprintf(line, sizeof line, "%d %d\n", (int)getpid(), (int)child);
  return write_file_atomic(s->pid_file, line, len, err);
}

static void close_stdin(struct shim *sh) {
  if (sh->in_fd >= 0 && sh->in_fd != sh->master) close(sh->in_fd);
  sh->in_fd = -1;
  sh->stdin_buf.len = 0;
  sh->close_stdin_pending = false;
}

static void on_frame(void *ctx, int type, const char *payload, size_t len) {
  struct shim *sh = ctx;
  switch (type) {
  case FRAME_STDIN:
    if (sh->in_fd >= 0 && !sh->close_stdin_pending) buf_append(&sh->stdin_buf, payload, len);
    break;
  case FRAME_RESIZE:
    if (sh->master >= 0 && len >= 4) {
      const unsigned char *p = (const unsigned char *)payload;
      struct winsize ws = {.ws_row = (unsigned short)(p[0] << 8 | p[1]), .ws_col = (unsigned short)(p[2] << 8 | p[3])};
      ioctl(sh->master, TIOCSWINSZ, &ws);
    }
    break;
  case FRAME_CLOSE_STDIN:
    // a terminal has no end of input to send; only pipes get EOF
    if (sh->master < 0 && sh->in_fd >= 0) {
      if (sh->stdin_buf.len) sh->close_stdin_pending = true;
      else close_stdin(sh);
    }
    break;
  default:
    break;
  }
}

static void flush_stdin(struct shim *sh) {
  while (sh->in_fd >= 0 && sh->stdin_buf.len > 0) {
    ssize_t n = write(sh->in_fd, sh->stdin_buf.data, sh->stdin_buf.len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      close_stdin(sh); // the container closed its stdin
      return;
    }
    buf_consume(&sh->stdin_buf, n);
  }
  if (sh->close_stdin_pending && sh->stdin_buf.len == 0) close_stdin(sh);
}

// Returns false at end of stream.
static bool pump_output(struct shim *sh, int fd, int stream) {
  char chunk[65536];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false; // EIO from a pty master whose slaves are all closed lands above
  log_data(&sh->log, stream, chunk, n);
  attach_broadcast(&sh->attach, stream == 2 ? FRAME_STDERR : FRAME_STDOUT, chunk, n);
  return true;
}

static void event_loop(struct shim *sh) {
  long long drain_deadline = 0;
  set_nonblock(sh->out_fd, true);
  if (sh->err_fd >= 0) set_nonblock(sh->err_fd, true);
  if (sh->in_fd >= 0) set_nonblock(sh->in_fd, true);
  for (;;) {
    if (sh->exited && sh->out_fd < 0 && sh->err_fd < 0) break;
    if (sh->exited && !drain_deadline) drain_deadline = now_ms() + DRAIN_MAX_MS;
    size_t cap = 7 + sh->attach.n;
    struct pollfd *p = calloc(cap, sizeof *p);
    if (!p) {
      poll(NULL, 0, 10); // out of memory: keep the container, try again shortly
      continue;
    }
    size_t np = 0;
    int i_sig = -1, i_listen = -1, i_out = -1, i_err = -1, i_in = -1, i_health = -1;
    p[i_sig = np++] = (struct pollfd){.fd = sh->sigfd, .events = POLLIN};
    if (sh->attach.listen_fd >= 0) p[i_listen = np++] = (struct pollfd){.fd = sh->attach.listen_fd, .events = POLLIN};
    if (sh->out_fd >= 0) p[i_out = np++] = (struct pollfd){.fd = sh->out_fd, .events = POLLIN};
    if (sh->err_fd >= 0) p[i_err = np++] = (struct pollfd){.fd = sh->err_fd, .events = POLLIN};
    if (health_fd(&sh->health) >= 0) p[i_health = np++] = (struct pollfd){.fd = health_fd(&sh->health), .events = POLLIN};
    if (sh->in_fd >= 0 && sh->stdin_buf.len) p[i_in = np++] = (struct pollfd){.fd = sh->in_fd, .events = POLLOUT};
    size_t first_client = np;
    size_t nclients = sh->attach.n;
    bool stdin_full = sh->stdin_buf.len > STDIN_BUFFER_MAX;
    for (size_t c = 0; c < nclients; c++)
      p[np++] = (struct pollfd){.fd = sh->attach.clients[c].fd,
                                .events = (short)((stdin_full ? 0 : POLLIN) | (sh->attach.clients[c].out.len ? POLLOUT : 0))};
    int timeout = -1;
    if (sh->exited) {
      long long left = drain_deadline - now_ms();
      timeout = left < 0 ? 0 : left < DRAIN_IDLE_MS ? (int)left : DRAIN_IDLE_MS;
    } else {
      timeout = health_timeout(&sh->health, now_ms());
    }
    int n = poll(p, np, timeout);
    if (n < 0 && errno != EINTR) {
      free(p);
      break;
    }
    if (n == 0 && sh->exited) {
      free(p); // output went quiet (or a leftover process holds it open): stop waiting
      break;
    }
    if (!sh->exited) health_tick(&sh->health, now_ms());
    if (n > 0) {
      if (i_health >= 0 && p[i_health].revents && health_fd(&sh->health) == p[i_health].fd) health_read(&sh->health);
      if (p[i_sig].revents) take_signals(sh);
      if (i_out >= 0 && p[i_out].revents && !pump_output(sh, sh->out_fd, 1)) {
        if (sh->in_fd == sh->out_fd) sh->in_fd = -1;
        if (sh->master == sh->out_fd) sh->master = -1;
        close_fd(&sh->out_fd);
      }
      if (i_err >= 0 && p[i_err].revents && !pump_output(sh, sh->err_fd, 2)) close_fd(&sh->err_fd);
      if (i_in >= 0 && p[i_in].revents && sh->in_fd >= 0) flush_stdin(sh);
      // clients: walk backwards so that dropping one does not shift the ones still to visit
      for (size_t c = nclients; c-- > 0;) {
        short re = p[first_client + c].revents;
        if (!re || c >= sh->attach.n) continue;
        int drop = 0;
        if (re & POLLOUT) drop = attach_flush(&sh->attach, c) < 0;
        if (!drop && (re & (POLLIN | POLLHUP | POLLERR))) drop = attach_read(&sh->attach, c, on_frame, sh) < 0;
        if (drop) attach_drop(&sh->attach, c);
      }
      if (sh->in_fd >= 0 && (sh->stdin_buf.len || sh->close_stdin_pending)) flush_stdin(sh);
      if (i_listen >= 0 && p[i_listen].revents) attach_accept(&sh->attach);
    }
    free(p);
  }
}

static bool read_oom(const struct spec *s) {
  bool oom = false;
  for (size_t i = 0; i < s->oom_counters.n; i++) {
    struct buf text = {0};
    if (read_file(s->oom_counters.v[i], &text) == 0 && text.data) {
      for (char *line = text.data; line && *line;) {
        long long v;
        if (sscanf(line, "oom_kill %lld", &v) == 1 && v > 0) oom = true;
        line = strchr(line, '\n');
        if (line) line++;
      }
    }
    buf_free(&text);
  }
  return oom;
}

// The exit file's space, taken before the container runs: a container that fills the store's
// disk must still leave its exit status (written here in place, then renamed) when a new file
// cannot be made. -1 when there is none (or it was used).
static int exit_reserve = -1;
#define EXIT_RESERVE_BYTES 4096

static void reserve_path(const struct spec *s, char *out, size_t size) {
  snprintf(out, size, "%s.reserve", s->exit_file);
}

static void exit_reserve_take(const struct spec *s) {
  char path[4096];
  if (!s->exit_file) return;
  reserve_path(s, path, sizeof path);
  exit_reserve = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (exit_reserve < 0) return; // the atomic write may still work
  static const char zeros[EXIT_RESERVE_BYTES];
  if (write_all(exit_reserve, zeros, sizeof zeros) < 0) {
    close(exit_reserve);
    exit_reserve = -1;
    unlink(path);
  }
}

static void exit_reserve_release(const struct spec *s) {
  char path[4096];
  if (exit_reserve < 0) return;
  close(exit_reserve);
  exit_reserve = -1;
  reserve_path(s, path, sizeof path);
  unlink(path);
}

// Writes the exit file into the reserved space: no block or inode to allocate.
static int exit_reserve_use(const struct spec *s, const char *data, size_t len) {
  char path[4096];
  if (exit_reserve < 0 || len > EXIT_RESERVE_BYTES) return -1;
  reserve_path(s, path, sizeof path);
  int rc = pwrite(exit_reserve, data, len, 0) == (ssize_t)len && ftruncate(exit_reserve, len) == 0 ? 0 : -1;
  if (rc == 0) fsync(exit_reserve);
  close(exit_reserve);
  exit_reserve = -1;
  if (rc == 0 && rename(path, s->exit_file) == 0) return 0;
  unlink(path);
  return -1;
}

static void write_exit_file(const struct spec *s, int code, int sig, bool oom, const char *error) {
  if (!s->exit_file) return;
  struct timespec ts;
  char when[48];
  clock_gettime(CLOCK_REALTIME, &ts);
  format_rfc3339nano(&ts, when);
  struct buf b = {0};
  struct strata_error err = {0};
  if (buf_printf(&b, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"finishedAt\":\"%s\",\"error\":\"", code, sig,
                 oom ? "true" : "false", when) == 0 &&
      json_escape(&b, error, strlen(error)) == 0 && buf_append(&b, "\"}\n", 3) == 0 &&
      write_file_atomic(s->exit_file, b.data, b.len, &err) < 0 && (err.errnum == ENOSPC || err.errnum == EDQUOT))
    exit_reserve_use(s, b.data, b.len);
  buf_free(&b);
}

static void cleanup_host(const struct spec *s) {
  for (size_t i = 0; i < s->umounts.n; i++) umount2(s->umounts.v[i], MNT_DETACH);
  for (size_t i = 0; i < s->cgroup_dirs.n; i++) {
    // the kernel frees a cgroup a moment after its last task has gone
    for (int tries = 0; tries < 100; tries++) {
      if (rmdir(s->cgroup_dirs.v[i]) == 0 || errno == ENOENT) break;
      if (errno != EBUSY) break;
      poll(NULL, 0, 10);
    }
  }
}

// In a user namespace every bind is a detached mount the shim makes (idmapped when asked): the
// container's root may not reach the source's path. A mount can be attached once: fresh ones
// for every run, handed to the child by clone.
static int open_binds(struct shim *sh, struct strata_error *err) {
  struct spec *s = &sh->spec;
  if (!s->bind_fds && s->binds.n && !(s->bind_fds = malloc(s->binds.n * sizeof(int))))
    return make_error(err, ENOMEM, "binds");
  for (size_t i = 0; i < s->binds.n; i++) s->bind_fds[i] = -1;
  for (size_t i = 0; i < s->binds.n; i++) {
    const char *entry = s->binds.v[i];
    char src[4096];
    snprintf(src, sizeof src, "%.*s", (int)strcspn(entry, "\t"), entry);
    bool idmap = bind_wants_idmap(entry), rec = strstr(entry, "\trbind") || strstr(entry, ",rbind");
    s->bind_fds[i] = idmap ? userns_idmapped_tree(src, sh->userns_fd, rec, err) : userns_detached_tree(src, rec, err);
    if (s->bind_fds[i] < 0) return -1;
  }
  return 0;
}

static void close_binds(struct shim *sh) {
  struct spec *s = &sh->spec;
  close_fd(&s->sysfs_fd);
  for (size_t i = 0; s->bind_fds && i < s->binds.n; i++) close_fd(&s->bind_fds[i]);
}

// Once per monitor: the mapping namespace and the root on idmapped layers (restarts keep both).
static int prepare_userns(struct shim *sh, struct strata_error *err) {
  const struct spec *s = &sh->spec;
  if (!spec_has_userns(s)) return 0;
  if ((sh->userns_fd = userns_mapping_fd(s, err)) < 0) return -1;
  return s->idmap_upper ? userns_mount_overlay(s, sh->userns_fd, &sh->layer_trees, err) : 0;
}

static int start_container(struct shim *sh, struct strata_error *err) {
  const struct spec *s = &sh->spec;
  int sync[2] = {-1, -1}, errp[2] = {-1, -1}, sp[2] = {-1, -1}, outp[2] = {-1, -1}, errpp[2] = {-1, -1},
      inp[2] = {-1, -1};
  int shared[3] = {-1, -1, -1};
  int rc = -1;
  if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
    make_error(err, errno, "pipe");
    goto out;
  }
  if (s->tty) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
      make_error(err, errno, "socketpair");
      goto out;
    }
  } else if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errpp, O_CLOEXEC) < 0 ||
             (s->open_stdin && pipe2(inp, O_CLOEXEC) < 0)) {
    make_error(err, errno, "pipe");
    goto out;
  }
  // `ns_join pid`: setns on ourself only sets our children's pid namespace
  if (ns_join_pid(s, err) < 0) goto out;
  bool userns = spec_has_userns(s);
  if (userns && (open_binds(sh, err) < 0 || userns_enter_shared(s, shared, err) < 0)) goto out;
  // a network namespace of its own is the container's to mount sysfs for
  if (userns && !(s->ns_flags & CLONE_NEWNET) && (sh->spec.sysfs_fd = userns_detached_sysfs(err)) < 0) goto out;
  unsigned long flags = (unsigned long)(s->ns_flags & ~CLONE_NEWCGROUP) | (userns ? CLONE_NEWUSER : 0);
  pid_t pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    make_error(err, errno, "clone container process");
    goto out;
  }
  if (pid == 0) {
    close(sync[1]);
    close(errp[0]);
    if (sp[0] >= 0) close(sp[0]);
    if (outp[0] >= 0) close(outp[0]);
    if (errpp[0] >= 0) close(errpp[0]);
    if (inp[1] >= 0) close(inp[1]);
    if (sh->sigfd >= 0) close(sh->sigfd);
    struct init_args ia = {.spec = s, .sync_fd = sync[0], .error_fd = errp[1], .pty_sock = sp[1],
                           .stdin_fd = inp[0], .stdout_fd = outp[1], .stderr_fd = errpp[1]};
    init_container(&ia);
  }
  sh->child = pid;
  if (userns && userns_leave_shared(shared, err) < 0) goto out;
  close_binds(sh);
  // before the child goes on: it becomes root of its namespace first thing
  if (userns && userns_write_maps(pid, s, err) < 0) goto out;
  close_fd(&sync[0]);
  close_fd(&errp[1]);
  close_fd(&sp[1]);
  close_fd(&outp[1]);
  close_fd(&errpp[1]);
  close_fd(&inp[0]);

  // rootless networking: the previous run's slirp4netns ends, this run's is ready before the process runs
  close_fd(&sh->slirp_exit_fd);
  if (s->slirp4netns && slirp_start(s, pid, &sh->slirp_exit_fd, err) < 0) goto out;
  // the container's process joins its cgroups itself (init.c), before anything it runs
  if (write_pid_file(s, pid, err) < 0) goto out;
  if (s->wait_attach && sh->attach.listen_fd >= 0) {
    status_line("attach-ready");
    wait_attach_client(sh);
    if (sh->exited) { // killed before it ran: an exit like any other
      rc = 0;
      goto out;
    }
  }
  if (write_all(sync[1], "1", 1) < 0) {
    make_error(err, errno, "release container process");
    goto out;
  }
  close_fd(&sync[1]);
  // the file's time is the start's, for an engine that died before it recorded the start
  if (s->wait_attach && write_pid_file(s, pid, err) < 0) goto out;
  if (s->tty) {
    int m = pty_recv_fd(sp[0]);
    if (m == -1) {
      make_error(err, errno, "receive pty master");
      goto out;
    }
    if (m >= 0) {
      sh->master = sh->out_fd = m;
      if (s->open_stdin) sh->in_fd = m;
    }
  } else {
    sh->out_fd = outp[0];
    sh->err_fd = errpp[0];
    sh->in_fd = inp[1];
    outp[0] = errpp[0] = inp[1] = -1;
  }
  struct init_error ie;
  ssize_t n = read_full(errp[0], &ie, sizeof ie);
  if (n > 0) {
    ie.msg[sizeof ie.msg - 1] = 0;
    err->code = ie.code;
    err->errnum = ie.err;
    snprintf(err->msg, sizeof err->msg, "%s", ie.msg);
    goto out;
  }
  rc = 0;
out:
  if (shared[0] >= 0 || shared[1] >= 0 || shared[2] >= 0) {
    struct strata_error ignored;
    userns_leave_shared(shared, &ignored);
  }
  close_binds(sh);
  if (rc < 0 && sh->child > 0) kill(sh->child, SIGKILL);
  int *fds[] = {&sync[0], &sync[1], &errp[0], &errp[1], &sp[0], &sp[1], &outp[0], &outp[1], &errpp[0], &errpp[1], &inp[0], &inp[1]};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) close_fd(fds[i]);
  return rc;
}

// `ps` shows "strata-shim <id>": the argv strings are contiguous, so rewrite them in place.
static void set_title(int argc, char **argv, const char *id) {
  char *start = argv[0], *end = argv[argc - 1] + strlen(argv[argc - 1]);
  size_t room = end - start;
  if (!id || room < 16) return;
  memset(start, 0, room);
  snprintf(start, room + 1, "strata-shim %s", id);
}

static int daemonize(struct strata_error *err) {
  pid_t p = fork();
  if (p < 0) return make_error(err, errno, "fork");
  if (p > 0) {
    int st;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  if (setsid() < 0) return make_error(err, errno, "setsid");
  p = fork();
  if (p < 0) return make_error(err, errno, "fork");
  if (p > 0) _exit(0);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return make_error(err, errno, "open /dev/null");
  for (int fd = 0; fd <= 2; fd++)
    if (dup2(null, fd) < 0) return make_error(err, errno, "dup2 /dev/null");
  close(null);
  if (chdir("/") < 0) return make_error(err, errno, "chdir /");
  return 0;
}

static void wait_child(struct shim *sh) {
  while (sh->child > 0 && !sh->exited) {
    int st;
    pid_t p = waitpid(sh->child, &st, 0);
    if (p == sh->child) {
      sh->exited = true;
      sh->wstatus = st;
    } else if (p < 0 && errno != EINTR) {
      break;
    }
  }
}

// docker's code: the start error's, 128+signal, or the exit status.
static int exit_code(const struct shim *sh, int rc, const struct strata_error *err, int *sig) {
  *sig = 0;
  if (rc < 0) return err->code ? err->code : 125;
  if (WIFSIGNALED(sh->wstatus)) {
    *sig = WTERMSIG(sh->wstatus);
    return 128 + *sig;
  }
  return WEXITSTATUS(sh->wstatus);
}

// Closes one run's stdio; the log, the attach socket and its clients stay for the next run.
static void end_run(struct shim *sh) {
  if (sh->in_fd >= 0 && sh->in_fd != sh->master && sh->in_fd != sh->out_fd) close(sh->in_fd);
  if (sh->master >= 0 && sh->master != sh->out_fd) close(sh->master);
  sh->in_fd = sh->master = -1;
  close_fd(&sh->out_fd);
  close_fd(&sh->err_fd);
  sh->stdin_buf.len = 0;
  sh->close_stdin_pending = false;
}

// The back-off between runs. A signal meant for the container (the engine's stop of a restarting
// container signals the monitor) or the user's stop file ends it, and with it the restarts.
static bool backoff_wait(struct shim *sh, long long delay_ms) {
  long long deadline = now_ms() + delay_ms;
  for (;;) {
    if (restart_stopped_by_user(&sh->spec.monitor)) return false;
    long long left = deadline - now_ms();
    if (left <= 0) return true;
    struct pollfd p[2] = {{.fd = sh->sigfd, .events = POLLIN}, {.fd = sh->attach.listen_fd, .events = POLLIN}};
    int n = poll(p, sh->attach.listen_fd >= 0 ? 2 : 1, left < 50 ? (int)left : 50);
    if (n < 0 && errno != EINTR) return false;
    if (n <= 0) continue;
    if (p[0].revents) {
      struct signalfd_siginfo si;
      bool cancel = false;
      while (read(sh->sigfd, &si, sizeof si) == sizeof si)
        if (si.ssi_signo != SIGCHLD) cancel = true;
      reap(sh); // orphans of a container without its own pid namespace
      if (cancel) return false;
    }
    if (sh->attach.listen_fd >= 0 && p[1].revents) attach_accept(&sh->attach);
  }
}

int shim_run(int argc, char **argv, const char *spec_path) {
  struct shim sh;
  memset(&sh, 0, sizeof sh);
  sh.sigfd = sh.out_fd = sh.err_fd = sh.in_fd = sh.master = sh.userns_fd = sh.slirp_exit_fd = -1;
  sh.attach.listen_fd = sh.log.fd = -1;
  struct strata_error err = {0};
  status_init();
  if (spec_load(spec_path, &sh.spec, &err) < 0) {
    fprintf(stderr, "strata-shim: %s\n", err.msg);
    status_line("error 125 %s", err.msg);
    return 125;
  }
  struct spec *s = &sh.spec;
  int rc = signal(SIGPIPE, SIG_IGN) == SIG_ERR ? make_error(&err, errno, "ignore SIGPIPE") : 0;
  if (rc == 0) rc = daemonize(&err);
  if (rc == 0) {
    set_title(argc, argv, s->id);
    // the thread's name is for ps and top alone: a kernel refusing it changes nothing else
    (void)prctl(PR_SET_NAME, "strata-shim", 0, 0, 0);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) rc = make_error(&err, errno, "become non-dumpable");
    else if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) rc = make_error(&err, errno, "become subreaper");
  }
  sigset_t sigs;
  sigemptyset(&sigs);
  for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++) sigaddset(&sigs, handled_signals[i]);
  if (rc == 0 && sigprocmask(SIG_BLOCK, &sigs, NULL) < 0) rc = make_error(&err, errno, "block signals");
  if (rc == 0 && (sh.sigfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) rc = make_error(&err, errno, "signalfd");
  if (rc == 0) rc = attach_listen(&sh.attach, s->attach_socket, &err);
  health_init(&sh.health, &s->monitor);
  if (rc == 0) rc = log_open(&sh.log, s->log, s->log_max_size, s->log_max_files, s->tty, &err);
  exit_reserve_take(s);
  if (rc == 0) rc = prepare_userns(&sh, &err);
  struct restarter restarts = {0};
  int code = 0, sig = 0;
  for (;;) {
    if (rc == 0) rc = start_container(&sh, &err);
    long long started = now_ms();
    if (rc == 0) {
      status_line("started %d", (int)sh.child);
      health_start(&sh.health, sh.child, now_ms());
      if (restarts.count > 0) restart_file_write(&s->monitor, &restarts, false);
      event_loop(&sh);
    }
    wait_child(&sh);
    code = exit_code(&sh, rc, &err, &sig);
    long long delay_ms;
    if (rc < 0 || !restart_due(&s->monitor, &restarts, code, now_ms() - started, &delay_ms)) break;
    // The restart file says "restarting" before the exit file appears, so the engine never reads
    // this exit as the last one; the root, cgroups and network namespace stay for the next run.
    restarts.count++;
    log_flush(&sh.log);
    restart_file_write(&s->monitor, &restarts, true);
    write_exit_file(s, code, sig, read_oom(s), "");
    status_line("restarting %d %d", restarts.count, code);
    end_run(&sh);
    if (!backoff_wait(&sh, delay_ms)) {
      restart_file_write(&s->monitor, &restarts, false);
      break;
    }
    if (s->exit_file) unlink(s->exit_file);
    s->wait_attach = false; // only the first run waits for its client
    sh.child = 0;
    sh.exited = false;
    sh.wstatus = 0;
  }
  log_close(&sh.log);
  write_exit_file(s, code, sig, rc == 0 && read_oom(s), rc < 0 ? err.msg : "");
  exit_reserve_release(s);
  attach_finish(&sh.attach, code);
  if (rc < 0) status_line("error %d %s", code, err.msg);
  else status_line("exit %d", code);
  end_run(&sh);
  cleanup_host(s);
  attach_close(&sh.attach);
  close_fd(&sh.sigfd);
  buf_free(&sh.stdin_buf);
  health_free(&sh.health);
  spec_free(s);
  return 0;
}

// An ignored signal stays ignored across execve, so whatever the starter ignored (node's
// SIGPIPE, nohup's SIGHUP, the libc-internal signals posix_spawn leaves at SIG_IGN) would
// reach the container. The raw syscall reaches the signals glibc's sigaction refuses.
struct kernel_sigaction {
  void *handler;
  unsigned long flags;
  void *restorer;
  unsigned long long mask;
};

static void default_ignored_signals(void) {
  for (int sig = 1; sig < 65; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct kernel_sigaction old;
    if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof old.mask) < 0 || old.handler != SIG_IGN) continue;
    struct kernel_sigaction dfl = {.handler = SIG_DFL};
    if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask) < 0)
      fprintf(stderr, "strata-shim: reset signal %d to its default: %s\n", sig, strerror(errno));
  }
}

int main(int argc, char **argv) {
  default_ignored_signals();
  if (argc == 3 && strcmp(argv[1], "run") == 0) return shim_run(argc, argv, argv[2]);
  if (argc == 3 && strcmp(argv[1], "exec") == 0) return shim_exec(argv, argv[2]);
  fprintf(stderr, "usage: strata-shim run|exec SPEC\n");
  return 125;
}
