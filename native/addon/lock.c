// flock(2), retried when a signal interrupts the wait.
#include "lock.h"

#include <errno.h>
#include <sys/file.h>

int lock_file(int fd, bool exclusive, bool non_blocking, bool *taken, struct strata_error *err) {
  int op = (exclusive ? LOCK_EX : LOCK_SH) | (non_blocking ? LOCK_NB : 0);
  int rc;
  do rc = flock(fd, op); while (rc < 0 && errno == EINTR);
  *taken = rc == 0;
  if (rc == 0 || (errno == EWOULDBLOCK && non_blocking)) return 0;
  return make_syscall_error(err, errno, "flock", "flock fd %d", fd);
}
