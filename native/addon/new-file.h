// A layer's new files: a small regular file in one call, a device node or whiteout.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

struct new_file {
  const char *path;
  const void *data;
  size_t len;
  mode_t mode;  // the wanted mode, special bits included
  uid_t uid;
  gid_t gid;
  bool chown;   // only root may give a file away
  struct timespec times[2];  // atime, mtime
};

// Creates path (which must not exist; a symlink there is not followed), writes all of data,
// then sets owner, mode and times as a layer extraction wants them. The fd is closed on every path.
int write_new_file(const struct new_file *f, struct strata_error *err);

// mknod(2): a device node, or with S_IFCHR 0:0 an overlay whiteout.
int make_node(const char *path, mode_t mode, unsigned major, unsigned minor, struct strata_error *err);
