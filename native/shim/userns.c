// User namespaces: the maps written from the shim (root on the host), a mapping namespace for
// idmapped mounts, the image layers and volumes idmapped rather than chowned.
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

static int write_map(pid_t pid, const char *file, const char *map, struct strata_error *err) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  return write_file(path, map, strlen(map), err);
}

int userns_write_maps(pid_t pid, const struct spec *s, struct strata_error *err) {
  if (write_map(pid, "uid_map", s->uid_map, err) < 0) return -1;
  return write_map(pid, "gid_map", s->gid_map, err);
}

int userns_mapping_fd(const struct spec *s, struct strata_error *err) {
  int hold[2];
  if (pipe2(hold, O_CLOEXEC) < 0) return make_error(err, errno, "pipe for the mapping namespace");
  pid_t pid = syscall(SYS_clone, (unsigned long)CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    int e = errno;
    close(hold[0]);
    close(hold[1]);
    return make_error(err, e, "clone into a new user namespace");
  }
  if (pid == 0) {
    char c;
    close(hold[1]);
    _exit(read(hold[0], &c, 1) < 0 ? 1 : 0); // lives until the namespace is open
  }
  close(hold[0]);
  int fd = -1;
  if (userns_write_maps(pid, s, err) == 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) make_error(err, errno, "open %s", path);
  }
  close(hold[1]); // it exits now; the monitor reaps it with its other children, never waiting for it here
  return fd;
}

int userns_detached_tree(const char *path, bool recursive, struct strata_error *err) {
  int fd = syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
  return fd < 0 ? make_error(err, errno, "bind source %s", path) : fd;
}

int userns_idmapped_tree(const char *path, int userns_fd, bool recursive, struct strata_error *err) {
  int fd = userns_detached_tree(path, recursive, err);
  if (fd < 0) return -1;
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (unsigned long long)userns_fd};
  if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr) < 0) {
    int e = errno;
    close(fd);
    return make_error(err, e, "idmapped mount of %s", path);
  }
  return fd;
}

static int fs_set(int fs, const char *key, const char *value, struct strata_error *err) {
  if (syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, value, 0) == 0) return 0;
  return make_error(err, errno, "overlay option %s=%s", key, value);
}

// Overlay does its upper-dir work (work dir, copy-up, new files) with the mounter's credentials;
// through the idmapped upper they must be an id of the range (the range's root stores as 0).
static int mounter_as_range_root(uid_t uid, gid_t gid, struct strata_error *err) {
  setfsgid(gid);
  setfsuid(uid);
  if ((uid_t)setfsuid(-1) != uid || (gid_t)setfsgid(-1) != gid) return make_error(err, EPERM, "setfsuid %u", (unsigned)uid);
  // a non-zero fsuid drops the file capabilities from the effective set: take them back
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0) return make_error(err, errno, "capget");
  d[0].effective = d[0].permitted;
  d[1].effective = d[1].permitted;
  if (syscall(SYS_capset, &h, d) < 0) return make_error(err, errno, "capset");
  return 0;
}

static int mounter_back(struct strata_error *err) {
  setfsuid(0);
  setfsgid(0);
  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  if (syscall(SYS_capget, &h, d) < 0) return make_error(err, errno, "capget");
  d[0].effective = d[0].permitted;
  d[1].effective = d[1].permitted;
  if (syscall(SYS_capset, &h, d) < 0) return make_error(err, errno, "capset");
  return 0;
}

static char *dir_of(const char *path) {
  char *d = strdup(path);
  if (!d) return NULL;
  char *slash = strrchr(d, '/');
  if (slash && slash != d) *slash = 0;
  return d;
}

static const char *base_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int userns_mount_overlay(const struct spec *s, int userns_fd, int **held, struct strata_error *err) {
  int rc = -1, fs = -1, mnt = -1, upper_tree = -1;
  size_t n = s->idmap_lowers.n;
  int *lowers = calloc(n + 2, sizeof *lowers); // the layers' trees, then the upper's, then -1
  char *upper_dir = dir_of(s->idmap_upper), *work_dir = dir_of(s->idmap_work);
  if (!lowers || !upper_dir || !work_dir) {
    make_error(err, ENOMEM, "idmapped overlay");
    goto out;
  }
  for (size_t i = 0; i < n + 2; i++) lowers[i] = -1;
  // the work dir must be on the upper dir's mount: one idmapped mount of their common parent
  if (strcmp(upper_dir, work_dir)) {
    make_error(err, EINVAL, "idmap_upper %s and idmap_work %s in different directories", s->idmap_upper, s->idmap_work);
    goto out;
  }
  char value[4096];
  for (size_t i = 0; i < n; i++)
    if ((lowers[i] = userns_idmapped_tree(s->idmap_lowers.v[i], userns_fd, false, err)) < 0) goto out;
  if ((upper_tree = userns_idmapped_tree(upper_dir, userns_fd, false, err)) < 0) goto out;
  unsigned uid0, gid0, count;
  if (sscanf(s->uid_map, "0 %u %u", &uid0, &count) != 2 || sscanf(s->gid_map, "0 %u %u", &gid0, &count) != 2) {
    make_error(err, EINVAL, "uid_map %s / gid_map %s must map container id 0", s->uid_map, s->gid_map);
    goto out;
  }
  if ((fs = syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)) < 0) {
    make_error(err, errno, "fsopen overlay");
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    snprintf(value, sizeof value, "/proc/self/fd/%d", lowers[i]);
    if (fs_set(fs, "lowerdir+", value, err) < 0) goto out;
  }
  snprintf(value, sizeof value, "/proc/self/fd/%d/%s", upper_tree, base_of(s->idmap_upper));
  if (fs_set(fs, "upperdir", value, err) < 0) goto out;
  snprintf(value, sizeof value, "/proc/self/fd/%d/%s", upper_tree, base_of(s->idmap_work));
  if (fs_set(fs, "workdir", value, err) < 0) goto out;
  if (mounter_as_range_root(uid0, gid0, err) < 0) goto out;
  int created = syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
  int create_errno = errno;
  if (mounter_back(err) < 0) goto out;
  if (created < 0) {
    char log[512] = "";
    ssize_t len = read(fs, log, sizeof log - 1);
    log[len > 0 ? len : 0] = 0;
    make_error(err, create_errno, "overlay on idmapped layers at %s%s%s", s->rootfs, *log ? ": " : "", log);
    goto out;
  }
  if ((mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0)) < 0) {
    make_error(err, errno, "fsmount overlay");
    goto out;
  }
  if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, s->rootfs, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
    make_error(err, errno, "mount overlay at %s", s->rootfs);
    goto out;
  }
  rc = 0;
  // Closing a detached mount unmounts it, which waits for an RCU grace period (tens of ms on a
  // busy host, most of the start): the trees stay open for the monitor's life instead (the
  // overlay holds layers of its own; the container process closes them at execve).
  lowers[n] = upper_tree;
  *held = lowers;
  lowers = NULL;
  upper_tree = -1;
out:
  for (size_t i = 0; lowers && i < n; i++)
    if (lowers[i] >= 0) close(lowers[i]);
  free(lowers);
  free(upper_dir);
  free(work_dir);
  if (upper_tree >= 0) close(upper_tree);
  if (fs >= 0) close(fs);
  if (mnt >= 0) close(mnt);
  return rc;
}

int userns_detached_sysfs(struct strata_error *err) {
  int fs = syscall(SYS_fsopen, "sysfs", FSOPEN_CLOEXEC);
  if (fs < 0) return make_error(err, errno, "fsopen sysfs");
  int mnt = -1;
  if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) make_error(err, errno, "create sysfs");
  else if ((mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                          MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) < 0)
    make_error(err, errno, "fsmount sysfs");
  close(fs);
  return mnt;
}

int userns_become_root(struct strata_error *err) {
  if (setgroups(0, NULL) < 0) return make_error(err, errno, "setgroups in the user namespace");
  if (setresgid(0, 0, 0) < 0) return make_error(err, errno, "setresgid 0 in the user namespace");
  if (setresuid(0, 0, 0) < 0) return make_error(err, errno, "setresuid 0 in the user namespace");
  return 0;
}

bool bind_wants_idmap(const char *entry) {
  const char *opts = strchr(entry, '\t');
  if (opts) opts = strchr(opts + 1, '\t');
  if (!opts) return false;
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", opts + 1);
  char *save = NULL;
  for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
    if (!strcmp(o, "idmap")) return true;
  return false;
}

static const struct { const char *kind; int flag; } SHARED[3] = {
    {"net", CLONE_NEWNET}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}};

static int join_path(const char *path, int flag, const char *kind, int *saved, struct strata_error *err) {
  char self[64];
  snprintf(self, sizeof self, "/proc/self/ns/%s", kind);
  if (*saved < 0 && (*saved = open(self, O_RDONLY | O_CLOEXEC)) < 0) return make_error(err, errno, "open %s", self);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open %s namespace %s", kind, path);
  int rc = setns(fd, flag) < 0 ? make_error(err, errno, "join %s namespace %s", kind, path) : 0;
  close(fd);
  return rc;
}

int userns_enter_shared(const struct spec *s, int saved[3], struct strata_error *err) {
  saved[0] = saved[1] = saved[2] = -1;
  if (s->netns && join_path(s->netns, CLONE_NEWNET, "net", &saved[0], err) < 0) return -1;
  for (size_t i = 0; i < s->ns_joins.n; i++) {
    const char *e = s->ns_joins.v[i];
    for (int k = 1; k < 3; k++) {
      size_t len = strlen(SHARED[k].kind);
      if (!strncmp(e, SHARED[k].kind, len) && e[len] == '\t' &&
          join_path(e + len + 1, SHARED[k].flag, SHARED[k].kind, &saved[k], err) < 0)
        return -1;
    }
  }
  return 0;
}

int userns_leave_shared(int saved[3], struct strata_error *err) {
  int rc = 0;
  for (int k = 0; k < 3; k++) {
    if (saved[k] < 0) continue;
    if (setns(saved[k], SHARED[k].flag) < 0 && rc == 0) rc = make_error(err, errno, "return to our %s namespace", SHARED[k].kind);
    close(saved[k]);
    saved[k] = -1;
  }
  return rc;
}
