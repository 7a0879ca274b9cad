// Device rules for a cgroup v2 group, as an eBPF CGROUP_DEVICE program attached to it.
#pragma once
#include "error.h"


// rules: docker's syntax, one per line ("c 1:3 rwm", "b *:* m"); everything else is refused.
int device_filter_attach(const char *cgroup_dir, const char *rules, struct strata_error *err);
