// The run options of docker's parity list that the container process applies itself:
// joined namespaces, resource limits, namespaced sysctls.
#pragma once
#include "spec.h"

// In the shim, before clone: the pid namespace of `ns_join pid` for the child (setns on ourself).
int ns_join_pid(const struct spec *s, struct strata_error *err);
// In the child, first thing: the ipc and uts namespaces of `ns_join`.
int ns_join_others(const struct spec *s, struct strata_error *err);
// setrlimit for every `rlimit` (before the capabilities go: raising a hard limit needs them).
int apply_rlimits(const struct spec *s, struct strata_error *err);
// Every `sysctl` written to /proc/sys, after pivot_root and before /proc/sys is made read-only.
int write_sysctls(const struct spec *s, struct strata_error *err);
