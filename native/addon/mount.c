// Mounts for the addon: overlay by the new mount API (the classic option string as fallback),
// generic mount and unmount, and whether a path is a mount point.
#include "mount.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

// The kernel explains fsconfig failures ("e overlay: ...") through the context fd: its lines,
// each as " (...)", for the message.
static void read_fs_log(int fsfd, char *out, size_t cap) {
  char msg[512];
  size_t len = 0;
  out[0] = 0;
  for (int i = 0; i < 8 && len + 1 < cap; i++) {
    ssize_t n = read(fsfd, msg, sizeof msg - 1);
    if (n <= 0) break;
    msg[n] = 0;
    if (msg[n - 1] == '\n') msg[n - 1] = 0;
    int w = snprintf(out + len, cap - len, " (%s)", msg[1] == ' ' ? msg + 2 : msg);
    if (w < 0) break;
    len += (size_t)w < cap - len ? (size_t)w : cap - len - 1;
  }
}

// An fsconfig failure, with the kernel's words after what was being done.
static int fsconfig_error(int fsfd, struct strata_error *err, const char *what, const char *arg) {
  int errnum = errno;
  char log[2048];
  read_fs_log(fsfd, log, sizeof log);
  return make_syscall_error(err, errnum, "fsconfig", "%s%s%s%s", what, arg ? " " : "", arg ? arg : "", log);
}

enum { NEW_API_OK = 0, NEW_API_FAILED = -1, NEW_API_MISSING = -2 };

// Root of a user namespace (rootless strata) cannot use overlay's trusted.overlay.* xattrs:
// overlay then keeps opaque dirs and the like in user.overlay.* ("userxattr"), as the layer
// store writes them there.
static bool in_user_namespace(void) {
  static int cached = -1;
  if (cached >= 0) return cached;
  FILE *f = fopen("/proc/self/uid_map", "re");
  unsigned long inside = 0, outside = 0, count = 0;
  cached = f && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3 && !(inside == 0 && outside == 0 && count == 4294967295UL);
  if (f) fclose(f);
  return cached;
}

static int overlay_new_api(const char *const *lowers, size_t n, const char *upper, const char *work,
                           const char *target, bool volatile_upper, struct strata_error *err) {
  int fsfd = fsopen("overlay", FSOPEN_CLOEXEC);
  if (fsfd < 0) {
    if (errno == ENOSYS) return NEW_API_MISSING;
    return make_syscall_error(err, errno, "fsopen", "fsopen overlay for %s", target);
  }
  int rc = NEW_API_OK;
  for (size_t i = 0; i < n && rc == NEW_API_OK; i++) {
    if (fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", lowers[i], 0) < 0) {
      // kernels before 6.8 do not know "lowerdir+"
      if (i == 0 && errno == EINVAL) rc = NEW_API_MISSING;
      else {
        rc = fsconfig_error(fsfd, err, "overlay lowerdir", lowers[i]);
      }
    }
  }
  if (rc == NEW_API_OK && upper && *upper) {
    if (fsconfig(fsfd, FSCONFIG_SET_STRING, "upperdir", upper, 0) < 0) {
      rc = fsconfig_error(fsfd, err, "overlay upperdir", upper);
    } else if (fsconfig(fsfd, FSCONFIG_SET_STRING, "workdir", work, 0) < 0) {
      rc = fsconfig_error(fsfd, err, "overlay workdir", work);
    }
    // Before 5.10 the kernel does not know "volatile": the mount is then an ordinary one.
    if (rc == NEW_API_OK && volatile_upper) (void)fsconfig(fsfd, FSCONFIG_SET_FLAG, "volatile", NULL, 0);
  }
  if (rc == NEW_API_OK && in_user_namespace() && fsconfig(fsfd, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0)
    rc = fsconfig_error(fsfd, err, "overlay option", "userxattr");
  if (rc == NEW_API_OK && fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    rc = fsconfig_error(fsfd, err, "create overlay for", target);
  if (rc == NEW_API_OK) {
    int mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
    if (mfd < 0) rc = make_syscall_error(err, errno, "fsmount", "fsmount overlay for %s", target);
    else {
      if (move_mount(mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        rc = make_syscall_error(err, errno, "move_mount", "mount overlay on %s", target);
      close(mfd);
    }
  }
  close(fsfd);
  return rc;
}

// Overlay splits its options on ',' and lowerdir on ':'; a backslash escapes either.
static int append_escaped(char *out, size_t cap, size_t *len, const char *s) {
  for (; *s; s++) {
    if ((*s == ',' || *s == ':' || *s == '\\') && *len + 1 < cap) out[(*len)++] = '\\';
    if (*len + 1 >= cap) return -1;
    out[(*len)++] = *s;
  }
  out[*len] = 0;
  return 0;
}

static int overlay_classic(const char *const *lowers, size_t n, const char *upper, const char *work,
                           const char *target, bool volatile_upper, struct strata_error *err) {
  long page = sysconf(_SC_PAGESIZE);
  size_t cap = page > 0 ? (size_t)page : 4096;
  char *data = malloc(cap);
  if (!data) return make_syscall_error(err, ENOMEM, "mount", "mount overlay on %s", target);
  size_t len = 0;
  int rc = 0;
  data[0] = 0;
  const char *prefix = "lowerdir=";
  len = strlen(prefix);
  memcpy(data, prefix, len + 1);
  for (size_t i = 0; i < n && rc == 0; i++) {
    if (i && len + 1 < cap) data[len++] = ':';
    rc = append_escaped(data, cap, &len, lowers[i]);
  }
  if (rc == 0 && upper && *upper) {
    rc = len + 10 < cap ? 0 : -1;
    if (rc == 0) len += snprintf(data + len, cap - len, ",upperdir=");
    if (rc == 0) rc = append_escaped(data, cap, &len, upper);
    if (rc == 0 && len + 10 < cap) len += snprintf(data + len, cap - len, ",workdir=");
    else rc = -1;
    if (rc == 0) rc = append_escaped(data, cap, &len, work);
  }
  static const char userxattr_opt[] = ",userxattr";
  if (rc == 0 && in_user_namespace()) {
    if (len + sizeof userxattr_opt < cap) {
      memcpy(data + len, userxattr_opt, sizeof userxattr_opt);
      len += sizeof userxattr_opt - 1;
    } else rc = -1;
  }
  size_t plain_len = len;
  static const char volatile_opt[] = ",volatile";
  if (rc == 0 && volatile_upper && upper && *upper) {
    if (len + sizeof volatile_opt < cap) {
      memcpy(data + len, volatile_opt, sizeof volatile_opt);
      len += sizeof volatile_opt - 1;
    } else rc = -1;
  }
  if (rc < 0) rc = make_syscall_error(err, E2BIG, "mount", "mount overlay on %s: options longer than a page", target);
  else if (mount("overlay", target, "overlay", 0, data) < 0) {
    int errnum = errno;
    data[plain_len] = 0; // a kernel before 5.10 rejects "volatile": mount without it
    if (!(errnum == EINVAL && len != plain_len && mount("overlay", target, "overlay", 0, data) == 0))
      rc = make_syscall_error(err, errnum, "mount", "mount overlay on %s", target);
  }
  free(data);
  return rc;
}

int strata_mount_overlay(const char *const *lowers, size_t nlowers, const char *upper, const char *work,
                         const char *target, bool volatile_upper, struct strata_error *err) {
  if (nlowers == 0) return make_syscall_error(err, EINVAL, "mount", "mount overlay on %s: no lowerdir", target);
  int rc = overlay_new_api(lowers, nlowers, upper, work, target, volatile_upper, err);
  if (rc != NEW_API_MISSING) return rc;
  return overlay_classic(lowers, nlowers, upper, work, target, volatile_upper, err);
}

bool strata_mount_flag(const char *name, unsigned long *flags) {
  static const struct { const char *name; unsigned long bits; } table[] = {
      {"bind", MS_BIND},
      {"rbind", MS_BIND | MS_REC},
      {"rec", MS_REC},
      {"ro", MS_RDONLY},
      {"rdonly", MS_RDONLY},
      {"rw", 0},
      {"remount", MS_REMOUNT},
      {"move", MS_MOVE},
      {"private", MS_PRIVATE},
      {"rprivate", MS_PRIVATE | MS_REC},
      {"slave", MS_SLAVE},
      {"rslave", MS_SLAVE | MS_REC},
      {"shared", MS_SHARED},
      {"rshared", MS_SHARED | MS_REC},
      {"unbindable", MS_UNBINDABLE},
      {"runbindable", MS_UNBINDABLE | MS_REC},
      {"nosuid", MS_NOSUID},
      {"nodev", MS_NODEV},
      {"noexec", MS_NOEXEC},
      {"noatime", MS_NOATIME},
      {"nodiratime", MS_NODIRATIME},
      {"relatime", MS_RELATIME},
      {"strictatime", MS_STRICTATIME},
      {"sync", MS_SYNCHRONOUS},
      {"dirsync", MS_DIRSYNC},
      {"silent", MS_SILENT},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (!strcmp(name, table[i].name)) {
      *flags |= table[i].bits;
      return true;
    }
  return false;
}

int strata_mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data,
                 struct strata_error *err) {
  if (mount(source && *source ? source : NULL, target, fstype && *fstype ? fstype : NULL, flags,
            data && *data ? data : NULL) < 0)
    return make_syscall_error(err, errno, "mount", "mount %s", target);
  return 0;
}

int strata_umount(const char *target, bool detach, struct strata_error *err) {
  if (umount2(target, detach ? MNT_DETACH : 0) < 0) return make_syscall_error(err, errno, "umount", "umount %s", target);
  return 0;
}

int strata_is_mount_point(const char *path, bool *result, struct strata_error *err) {
  struct statx stx;
  if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &stx) < 0)
    return make_syscall_error(err, errno, "statx", "statx %s", path);
  if (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) {
    *result = (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    return 0;
  }
  // older kernels: a mount root sits on another device than its parent, or is its own parent
  char parent[PATH_MAX];
  if (snprintf(parent, sizeof parent, "%s/..", path) >= (int)sizeof parent)
    return make_syscall_error(err, ENAMETOOLONG, "stat", "stat %s/..", path);
  struct stat self, up;
  if (lstat(path, &self) < 0) return make_syscall_error(err, errno, "stat", "stat %s", path);
  if (!S_ISDIR(self.st_mode)) {
    *result = false;
    return 0;
  }
  if (stat(parent, &up) < 0) return make_syscall_error(err, errno, "stat", "stat %s", parent);
  *result = self.st_dev != up.st_dev || self.st_ino == up.st_ino;
  return 0;
}
