// Starting strata-shim without node's child_process: a cold `child_process.spawn` costs
// ~10 ms (it loads net, creates sockets for the pipes, forks a large process); posix_spawn is
// a vfork + exec. The caller reads the status pipe and reaps the child itself.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

extern char **environ;

static void close_pair(int p[2]) {
  if (p[0] >= 0) close(p[0]);
  if (p[1] >= 0) close(p[1]);
  p[0] = p[1] = -1;
}

// Pipes above 9, so the dup2 onto 2 and 3 below never targets one of their own ends.
static int high_pipe(int p[2], struct strata_error *err) {
  int raw[2], errnum = 0;
  p[0] = p[1] = -1;
  if (pipe2(raw, O_CLOEXEC) < 0) return make_syscall_error(err, errno, "pipe2", "create a pipe for the monitor");
  for (int i = 0; i < 2; i++)
    if ((p[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 10)) < 0 && !errnum) errnum = errno;
  close(raw[0]);
  close(raw[1]);
  if (errnum) {
    close_pair(p);
    return make_syscall_error(err, errnum, "fcntl", "move a pipe above fd 9");
  }
  return 0;
}

int strata_spawn_detached(const char *path, char *const argv[], struct spawned *out, struct strata_error *err) {
  int status[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  bool fa_ready = false, attr_ready = false;
  int rc = -1;

  if (high_pipe(status, err) < 0 || high_pipe(err_pipe, err) < 0) goto out;
  int errnum = posix_spawn_file_actions_init(&fa);
  if (errnum) { make_syscall_error(err, errnum, "posix_spawn_file_actions_init", "prepare the monitor's fds"); goto out; }
  fa_ready = true;
  if ((errnum = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0)) ||
      (errnum = posix_spawn_file_actions_adddup2(&fa, 0, 1)) ||
      (errnum = posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2)) ||
      (errnum = posix_spawn_file_actions_adddup2(&fa, status[1], 3)) ||
      // the monitor lives for the container's lifetime: no fd a parent forgot to mark CLOEXEC
      (errnum = posix_spawn_file_actions_addclosefrom_np(&fa, 4))) {
    make_syscall_error(err, errnum, "posix_spawn_file_actions", "prepare the monitor's fds");
    goto out;
  }
  errnum = posix_spawnattr_init(&attr);
  if (errnum) { make_syscall_error(err, errnum, "posix_spawnattr_init", "prepare the monitor's signals"); goto out; }
  attr_ready = true;
  // Node blocks signals on some threads: the monitor starts with none blocked. Ignored ones
  // (node's SIGPIPE) the shim resets itself, for every way it is started.
  sigset_t none;
  sigemptyset(&none);
  if ((errnum = posix_spawnattr_setsigmask(&attr, &none)) || (errnum = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK))) {
    make_syscall_error(err, errnum, "posix_spawnattr", "prepare the monitor's signals");
    goto out;
  }
  pid_t pid;
  errnum = posix_spawn(&pid, path, &fa, &attr, argv, environ);
  if (errnum) { make_syscall_error(err, errnum, "posix_spawn", "%s", path); goto out; }
  close(status[1]);
  close(err_pipe[1]);
  status[1] = err_pipe[1] = -1;
  // stderr is read once, after the status pipe closed, with whatever the monitor left there.
  int flags = fcntl(err_pipe[0], F_GETFL);
  if (flags < 0 || fcntl(err_pipe[0], F_SETFL, flags | O_NONBLOCK) < 0) {
    // The monitor runs already; without the stderr pipe its messages are lost, nothing else.
    close(err_pipe[0]);
    err_pipe[0] = -1;
  }
  out->pid = pid;
  out->status_fd = status[0];
  out->stderr_fd = err_pipe[0];
  status[0] = err_pipe[0] = -1;
  rc = 0;
out:
  if (fa_ready) posix_spawn_file_actions_destroy(&fa);
  if (attr_ready) posix_spawnattr_destroy(&attr);
  close_pair(status);
  close_pair(err_pipe);
  return rc;
}

int strata_reap(pid_t pid, int *exit_status, struct strata_error *err) {
  int st;
  pid_t got;
  do got = waitpid(pid, &st, WNOHANG); while (got < 0 && errno == EINTR);
  if (got < 0) return make_syscall_error(err, errno, "waitpid", "reap the monitor");
  if (got == 0) return 0;
  *exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return 1;
}

int strata_exec_replace(const char *path, char *const argv[], struct strata_error *err) {
  // node blocks signals on its threads and ignores SIGPIPE: the program starts with neither
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  // node marks a stdio fd that is a file close-on-exec: the program must keep its stdio
  for (int fd = 0; fd < 3; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  execv(path, argv);
  return make_syscall_error(err, errno, "execv", "%s", path);
}
