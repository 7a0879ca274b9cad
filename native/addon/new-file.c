// One small file of a layer in one call: the extraction creates ~20k of them per big image, and
// through Node each took five fs calls (open, write, fstat, futimes, close) with their wrappers.
#include "new-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(int fd, const char *syscall, const char **what) {
  int err = errno;
  close(fd);
  *what = syscall;
  errno = err;
  return -1;
}

int write_new_file(const struct new_file *f, const char **what) {
  // created with its permission bits only: setuid/setgid/sticky come from fchmod after fchown,
  // which would clear them
  int fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 0777);
  if (fd < 0) {
    *what = "open";
    return -1;
  }
  const char *p = f->data;
  size_t left = f->len;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(fd, "write", what);
    }
    p += n;
    left -= (size_t)n;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) return fail(fd, "fstat", what);
  // chown before chmod (chown drops setuid bits); what the umask or a default ACL took away is
  // read back from the file, never assumed
  if (f->chown && (st.st_uid != f->uid || st.st_gid != f->gid) && fchown(fd, f->uid, f->gid) < 0) return fail(fd, "fchown", what);
  if ((st.st_mode & 07777) != (f->mode & 07777) && fchmod(fd, f->mode & 07777) < 0) return fail(fd, "fchmod", what);
  if (futimens(fd, f->times) < 0) return fail(fd, "futimens", what);
  if (close(fd) < 0) {
    *what = "close";
    return -1;
  }
  return 0;
}
