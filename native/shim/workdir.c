// The working directory of run's and exec's process, resolved with openat2 inside "/" so that
// neither a symlink nor a /proc magic link in the image or the running container can put it on
// the host (CVE-2024-21626: a WorkingDir pointing at /proc/self/fd/N of a leaked host fd).
#include "workdir.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_in_root(int rootfd, const char *path, int flags, unsigned long long resolve) {
  while (*path == '/') path++;
  struct open_how how = {.flags = flags | O_CLOEXEC, .resolve = resolve};
  return openat2_retrying(rootfd, *path ? path : ".", &how);
}

static int open_confined(int rootfd, const char *path, int flags) {
  return open_in_root(rootfd, path, flags | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

// mkdir -p inside the root: each missing component is made in its parent, opened confined.
static int create_missing(int rootfd, const char *cwd, struct strata_error *err) {
  char path[4096];
  size_t len = strlen(cwd);
  if (len >= sizeof path) return make_error(err, ENAMETOOLONG, "create working directory %s", cwd);
  memcpy(path, cwd, len + 1);
  for (size_t end = 1; end <= len; end++) {
    if (path[end] != '/' && path[end] != 0) continue;
    if (path[end - 1] == '/') continue;
    char saved = path[end];
    path[end] = 0;
    char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    int exists = open_confined(rootfd, path, O_PATH);
    if (exists >= 0) {
      close(exists);
    } else if (errno == ENOENT) {
      char kept = *name;
      *name = 0;
      int parent = open_confined(rootfd, path, O_RDONLY);
      *name = kept;
      if (parent < 0) return make_error(err, errno, "create working directory %s", cwd);
      int rc = mkdirat(parent, name, 0755);
      int e = errno;
      close(parent);
      if (rc < 0 && e != EEXIST) return make_error(err, e, "create working directory %s", cwd);
    }
    path[end] = saved;
  }
  return 0;
}

static int refuse_or_fail(int rootfd, const char *cwd, int e, struct strata_error *err) {
  if (e == ELOOP) {
    // a real symlink loop fails the same way without RESOLVE_NO_MAGICLINKS (which RESOLVE_IN_ROOT
    // implies); only this probe's O_PATH fd ever goes through the magic link, closed unused
    int probe = openat(rootfd, cwd, O_PATH | O_CLOEXEC);
    if (probe >= 0) {
      close(probe);
      make_error(err, 0, "working directory %s resolves outside the container (through a /proc magic link)", cwd);
      err->errnum = ELOOP;
      err->code = 126;
      return -1;
    }
  }
  return make_error(err, e, "chdir to working directory %s", cwd);
}

int workdir_enter(const char *cwd, struct strata_error *err) {
  int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) return make_error(err, errno, "open /");
  int rc = 0;
  int fd = open_confined(rootfd, cwd, O_PATH);
  if (fd < 0 && errno == ENOENT) {
    rc = create_missing(rootfd, cwd, err);
    if (rc == 0) fd = open_confined(rootfd, cwd, O_PATH);
  }
  if (rc == 0 && fd < 0) rc = refuse_or_fail(rootfd, cwd, errno, err);
  else if (rc == 0 && fchdir(fd) < 0) rc = make_error(err, errno, "chdir to working directory %s", cwd);
  if (fd >= 0) close(fd);
  close(rootfd);
  return rc;
}
