// The container's root: mounts under the rootfs, pivot_root, masked and read-only paths.
#pragma once
#include "spec.h"

// Everything up to and including pivot_root; afterwards "/" is the container's root.
// Makes / private and binds the rootfs on itself; returns an O_PATH fd of it (taken while the
// host path is still reachable: a user namespace's root may not pass the store's directories).
int rootfs_enter(const struct spec *s, struct strata_error *err);
// Everything under the root, then pivot_root; closes rootfd.
int rootfs_prepare(const struct spec *s, int rootfd, struct strata_error *err);
// After pivot_root: read-only paths, masked paths, read-only root.
int rootfs_finish(const struct spec *s, struct strata_error *err);
