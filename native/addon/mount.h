// Mount-related syscalls for the addon: overlay (new mount API with the classic option
// string as fallback), generic mount and unmount, mount-point test.
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

// volatile_upper: the upper is never synced (overlay's "volatile"; kernels without it mount without).
int strata_mount_overlay(const char *const *lowers, size_t nlowers, const char *upper, const char *work,
                         const char *target, bool volatile_upper, struct strata_error *err);
// Returns false for a flag name it does not know.
bool strata_mount_flag(const char *name, unsigned long *flags);
int strata_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data,
                 struct strata_error *err);
int strata_umount(const char *target, bool detach, struct strata_error *err);
int strata_is_mount_point(const char *path, bool *result, struct strata_error *err);
