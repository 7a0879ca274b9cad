// Extended attributes of a path itself (never of what a symlink points to).
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

int xattr_set(const char *path, const char *name, const void *value, size_t len, struct strata_error *err);
// *value (malloc'd, the caller frees) and *len when the attribute is there; *value NULL when not.
int xattr_get(const char *path, const char *name, char **value, size_t *len, struct strata_error *err);
// *list (malloc'd, the caller frees): the names, each ending with a NUL, *len bytes in all.
int xattr_list(const char *path, char **list, size_t *len, struct strata_error *err);
