// The container's root: mounts under the rootfs, pivot_root, masked and read-only paths.
#pragma once
#include "spec.h"

// Everything up to and including pivot_root; afterwards "/" is the container's root.
int rootfs_prepare(const struct spec *s, struct strata_error *err);
// After pivot_root: read-only paths, masked paths, read-only root.
int rootfs_finish(const struct spec *s, struct strata_error *err);
