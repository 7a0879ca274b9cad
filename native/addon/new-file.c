// One small file of a layer in one call: the extraction creates ~20k of them per big image, and
// through Node each took five fs calls (open, write, fstat, futimes, close) with their wrappers.
#include "new-file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

// Fills err for syscall on f's path and closes fd, keeping the syscall's errno.
static int fail_closing(int fd, const struct new_file *f, const char *syscall, struct strata_error *err) {
  make_syscall_error(err, errno, syscall, "%s %s", syscall, f->path);
  close(fd);
  return -1;
}

int write_new_file(const struct new_file *f, struct strata_error *err) {
  // created with its permission bits only: setuid/setgid/sticky come from fchmod after fchown,
  // which would clear them
  int fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 0777);
  if (fd < 0) return make_syscall_error(err, errno, "open", "open %s", f->path);
  const char *p = f->data;
  size_t left = f->len;
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_closing(fd, f, "write", err);
    }
    p += n;
    left -= (size_t)n;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) return fail_closing(fd, f, "fstat", err);
  // chown before chmod (chown drops setuid bits); what the umask or a default ACL took away is
  // read back from the file, never assumed
  if (f->chown && (st.st_uid != f->uid || st.st_gid != f->gid) && fchown(fd, f->uid, f->gid) < 0)
    return fail_closing(fd, f, "fchown", err);
  if ((st.st_mode & 07777) != (f->mode & 07777) && fchmod(fd, f->mode & 07777) < 0) return fail_closing(fd, f, "fchmod", err);
  if (futimens(fd, f->times) < 0) return fail_closing(fd, f, "futimens", err);
  if (close(fd) < 0) return make_syscall_error(err, errno, "close", "close %s", f->path);
  return 0;
}

int make_node(const char *path, mode_t mode, unsigned major, unsigned minor, struct strata_error *err) {
  if (mknod(path, mode, makedev(major, minor)) < 0) return make_syscall_error(err, errno, "mknod", "mknod %s", path);
  return 0;
}
