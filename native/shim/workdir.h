// The process's working directory, resolved and created inside its root without leaving it.
#pragma once
#include "util.h"

// chdir to cwd as seen from "/" (the container's root once pivot_root or the mount namespace
// join is done), creating what is missing. Symlinks stay inside the root; a /proc magic link
// (/proc/self/fd/N, /proc/PID/cwd) is refused with code 126: it could point at the host.
int workdir_enter(const char *cwd, struct strata_error *err);
