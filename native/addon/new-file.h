#ifndef STRATA_NEW_FILE_H
#define STRATA_NEW_FILE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

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
// then sets owner, mode and times as a layer extraction wants them. On failure returns -1 with
// errno set and *what naming the syscall that failed; the fd is closed on every path.
int write_new_file(const struct new_file *f, const char **what);

#endif
