// strata-init: the PID 1 that `run --init` puts in front of the command (docker's tini, podman's
// catatonit). It forwards signals to the command, reaps every orphan the command leaves, and
// exits with the command's status. Linked statically: it runs inside images that may have no libc.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int status_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "strata-init: usage: strata-init COMMAND [ARG...]\n");
    return 125;
  }
  sigset_t all, old;
  sigfillset(&all);
  if (sigprocmask(SIG_BLOCK, &all, &old) < 0) {
    fprintf(stderr, "strata-init: block signals: %s\n", strerror(errno));
    return 125;
  }
  pid_t child = fork();
  if (child < 0) {
    fprintf(stderr, "strata-init: fork: %s\n", strerror(errno));
    return 125;
  }
  if (child == 0) {
    if (sigprocmask(SIG_SETMASK, &old, NULL) < 0) _exit(125);
    // a process group of its own, so terminal signals reach the whole job as with docker-init
    setpgid(0, 0);
    execvp(argv[1], argv + 1);
    int e = errno;
    fprintf(stderr, "strata-init: exec %s: %s\n", argv[1], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
  }
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "strata-init: sigwaitinfo: %s\n", strerror(errno));
      return 125;
    }
    if (sig != SIGCHLD) {
      if (kill(child, sig) < 0 && errno != ESRCH) fprintf(stderr, "strata-init: forward signal %d: %s\n", sig, strerror(errno));
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
