// Rootless networking: slirp4netns gives the container's network namespace a tap device routed
// through the user's own sockets on the host (podman's default for rootless containers).
#pragma once
#include <sys/types.h>

#include "error.h"
#include "spec.h"

// Starts slirp4netns (the spec's `slirp_path`) on the network namespace of `pid`, waits
// until it has configured tap0 and adds the spec's `slirp_port` forwards. It lives while
// *exit_fd is open (closed by the next run or the monitor's exit). 0, or -1 with err filled.
int slirp_start(const struct spec *s, pid_t pid, int *exit_fd, struct strata_error *err);
