// What runs in the container process between clone/fork and execve.
#pragma once
#include "spec.h"

// Error report the child writes to its CLOEXEC error pipe; EOF with nothing means execve worked.
struct init_error {
  int32_t code;
  int32_t err;
  char msg[1024];
};

void init_report(int fd, const struct strata_error *err);

struct init_args {
  const struct spec *spec;
  int sync_fd;  // read end: one byte releases us
  int error_fd; // write end, close-on-exec
  int pty_sock; // tty: socket the pty master is sent over; -1 otherwise
  int stdin_fd, stdout_fd, stderr_fd; // pipes (no tty); -1 keeps what we have
};

// The `run` child: namespaces are already new; never returns.
_Noreturn void init_container(const struct init_args *a);

// Called by init_exec_process after seccomp, right before execve; exec forks there.
struct before_execve {
  int (*run)(void *arg, struct strata_error *err);
  void *arg;
};

// Shared by run and exec: cwd, rlimits, identity, capabilities, no_new_privs, fds, PATH, seccomp,
// `last` (NULL for none), execve. Returns only on failure (with err->code set to docker's code).
int init_exec_process(const struct spec *s, const struct before_execve *last, struct strata_error *err);
