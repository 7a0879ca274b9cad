// lsetxattr/lgetxattr/llistxattr, sized by asking first and asking again if the value grew.
#include "xattr.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/xattr.h>

int xattr_set(const char *path, const char *name, const void *value, size_t len, struct strata_error *err) {
  if (lsetxattr(path, name, value, len, 0) < 0) return make_syscall_error(err, errno, "lsetxattr", "lsetxattr %s", path);
  return 0;
}

int xattr_get(const char *path, const char *name, char **value, size_t *len, struct strata_error *err) {
  *value = NULL;
  for (;;) {
    ssize_t size = lgetxattr(path, name, NULL, 0);
    if (size < 0 && errno == ENODATA) return 0;
    if (size < 0) return make_syscall_error(err, errno, "lgetxattr", "lgetxattr %s", path);
    char *buf = malloc(size ? (size_t)size : 1);
    if (!buf) return make_syscall_error(err, ENOMEM, "lgetxattr", "lgetxattr %s", path);
    ssize_t got = lgetxattr(path, name, buf, (size_t)size);
    if (got >= 0) {
      *value = buf;
      *len = (size_t)got;
      return 0;
    }
    int errnum = errno;
    free(buf);
    if (errnum == ERANGE) continue; // it grew in between
    if (errnum == ENODATA) return 0;
    return make_syscall_error(err, errnum, "lgetxattr", "lgetxattr %s", path);
  }
}

int xattr_list(const char *path, char **list, size_t *len, struct strata_error *err) {
  *list = NULL;
  for (;;) {
    ssize_t size = llistxattr(path, NULL, 0);
    if (size < 0) return make_syscall_error(err, errno, "llistxattr", "llistxattr %s", path);
    char *buf = malloc(size ? (size_t)size : 1);
    if (!buf) return make_syscall_error(err, ENOMEM, "llistxattr", "llistxattr %s", path);
    ssize_t got = llistxattr(path, buf, (size_t)size);
    if (got >= 0) {
      *list = buf;
      *len = (size_t)got;
      return 0;
    }
    int errnum = errno;
    free(buf);
    if (errnum != ERANGE) return make_syscall_error(err, errnum, "llistxattr", "llistxattr %s", path);
  }
}
