// strata-init: the PID 1 that `run --init` puts in front of the command (docker's tini, podman's
// catatonit). It forwards signals to the command, reaps every orphan the command leaves, and
// exits with the command's status. Linked statically: it runs inside images that may have no libc.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

static int status_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// Prints what failed; returns the exit code for it.
static int report(const struct strata_error *err) {
  fprintf(stderr, "strata-init: %s\n", err->msg);
  return err->code;
}

int main(int argc, char **argv) {
  struct strata_error err = {0};
  if (argc < 2) {
    fprintf(stderr, "strata-init: usage: strata-init COMMAND [ARG...]\n");
    return 125;
  }
  sigset_t all, old;
  sigfillset(&all);
  if (sigprocmask(SIG_BLOCK, &all, &old) < 0) {
    make_error(&err, errno, "block signals");
    return report(&err);
  }
  pid_t child = fork();
  if (child < 0) {
    make_error(&err, errno, "fork");
    return report(&err);
  }
  if (child == 0) {
    if (sigprocmask(SIG_SETMASK, &old, NULL) < 0) _exit(125);
    // a process group of its own, so terminal signals reach the whole job as with docker-init
    if (setpgid(0, 0) < 0) {
      make_error(&err, errno, "own process group"); // the job control it gives is not essential
      report(&err);
    }
    execvp(argv[1], argv + 1);
    int errnum = errno;
    err.code = errnum == ENOENT ? 127 : 126;
    make_error(&err, errnum, "exec %s", argv[1]);
    _exit(report(&err));
  }
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      make_error(&err, errno, "sigwaitinfo");
      return report(&err);
    }
    if (sig != SIGCHLD) {
      // the command keeps running: said, not fatal
      if (kill(child, sig) < 0 && errno != ESRCH) {
        make_error(&err, errno, "forward signal %d", sig);
        report(&err);
      }
      continue;
    }
    for (;;) {
      int status;
      pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      if (pid == child) return status_code(status);
    }
  }
}
