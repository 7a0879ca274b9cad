// Mount-related syscalls for the addon: overlay (new mount API with the classic option
// string as fallback), generic mount, mount-point test. Failures fill a mount_error.
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct mount_error {
  int err;
  const char *syscall;
  char detail[4352]; // what was being done, plus the kernel's own words when it gave any
};

// Fills e (detail from fmt, printf-style) and returns -1, for `return mount_error_set(…)`.
int mount_error_set(struct mount_error *e, int err, const char *syscall, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

// volatile_upper: the upper is never synced (overlay's "volatile"; kernels without it mount without).
int strata_mount_overlay(const char *const *lowers, size_t nlowers, const char *upper, const char *work,
                         const char *target, bool volatile_upper, struct mount_error *e);
// Returns false for a flag name it does not know.
bool strata_mount_flag(const char *name, unsigned long *flags);
int strata_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data,
                 struct mount_error *e);
int strata_is_mount_point(const char *path, bool *result, struct mount_error *e);
