// Starting a detached process (the shim) and reaping it, for the addon.
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

struct spawned {
  pid_t pid;
  int status_fd; // read end of the pipe on the child's fd 3
  int stderr_fd; // read end of the child's stderr, non-blocking; -1 if it could not be set up
};

// Runs path with argv: fds 0 and 1 /dev/null, 2 and 3 pipes back to us, no signal blocked.
int strata_spawn_detached(const char *path, char *const argv[], struct spawned *out, struct strata_error *err);
// 1 and *exit_status set when pid has exited (128+signal when killed), 0 while it runs.
int strata_reap(pid_t pid, int *exit_status, struct strata_error *err);
// Replaces this process by path with argv (rootless strata re-entering itself in its user
// namespace); returns only on failure.
int strata_exec_replace(const char *path, char *const argv[], struct strata_error *err);
