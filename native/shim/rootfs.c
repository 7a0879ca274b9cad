// The container's root set up from inside the child: mounts under the rootfs (never leaving it
// through symlinks), /dev, binds and tmpfs, pivot_root, then masked and read-only paths.
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/mount.h>

#include "userns.h"

enum kind { KIND_DIR, KIND_FILE };

static int open_dir_in_root(int rootfd, const char *path, struct strata_error *err);

// Opens (O_PATH) a path inside the root, creating what is missing, without ever leaving
// the root through symlinks or "..": an image could otherwise point /proc at the host.
static int open_in_root(int rootfd, const char *path, enum kind kind, struct strata_error *err) {
  while (*path == '/') path++;
  if (!*path) {
    int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
    return fd < 0 ? make_error(err, errno, "dup rootfs fd") : fd;
  }
  struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  int fd = openat2_retrying(rootfd, path, &how);
  if (fd >= 0) return fd;
  if (errno != ENOENT) return make_error(err, errno, "open %s in rootfs", path);

  char parent[4096];
  size_t len = strlen(path);
  if (len >= sizeof parent) return make_error(err, ENAMETOOLONG, "open %s in rootfs", path);
  memcpy(parent, path, len + 1);
  while (len > 0 && parent[len - 1] == '/') parent[--len] = 0;
  char *slash = strrchr(parent, '/');
  const char *name = slash ? slash + 1 : parent;
  if (slash) *slash = 0;
  int dfd = open_dir_in_root(rootfd, slash ? parent : "", err);
  if (dfd < 0) return -1;
  if (kind == KIND_DIR) {
    if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST) {
      int e = errno;
      close(dfd);
      return make_error(err, e, "mkdir %s in rootfs", path);
    }
  } else {
    int nfd = openat(dfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (nfd < 0 && errno != EEXIST) {
      int e = errno;
      close(dfd);
      return make_error(err, e, "create %s in rootfs", path);
    }
    if (nfd >= 0) close(nfd);
  }
  close(dfd);
  fd = openat2_retrying(rootfd, path, &how);
  if (fd < 0) return make_error(err, errno, "open %s in rootfs", path);
  return fd;
}

// A directory inside the root as an fd that mkdirat, mknodat and symlinkat take (open_in_root's
// O_PATH fd does not): reopened through /proc.
static int open_dir_in_root(int rootfd, const char *path, struct strata_error *err) {
  int pfd = open_in_root(rootfd, path, KIND_DIR, err);
  if (pfd < 0) return -1;
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
  int dfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) make_error(err, errno, "open directory %s in rootfs", *path ? path : "/");
  close(pfd);
  return dfd;
}

struct mount_opts {
  unsigned long flags;
  char data[1024];
};

// "nosuid,nodev,mode=1777" → flags + the rest as data.
static int parse_mount_options(const char *opts, struct mount_opts *out, bool *rec) {
  static const struct { const char *name; unsigned long set, clear; } table[] = {
      {"ro", MS_RDONLY, 0},      {"rw", 0, MS_RDONLY},         {"nosuid", MS_NOSUID, 0},
      {"suid", 0, MS_NOSUID},     {"nodev", MS_NODEV, 0},       {"dev", 0, MS_NODEV},
      {"noexec", MS_NOEXEC, 0},  {"exec", 0, MS_NOEXEC},       {"noatime", MS_NOATIME, 0},
      {"relatime", MS_RELATIME, 0}, {"strictatime", MS_STRICTATIME, 0}, {"bind", MS_BIND, 0},
  };
  memset(out, 0, sizeof *out);
  char copy[1024];
  if (strlen(opts) >= sizeof copy) return -1;
  strcpy(copy, opts);
  char *save = NULL;
  for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
    bool known = false;
    if (!strcmp(o, "idmap")) continue; // the shim made the mount (bind_idmap_fds)
    if (!strcmp(o, "rbind")) {
      if (rec) *rec = true;
      out->flags |= MS_BIND;
      continue;
    }
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
      if (!strcmp(o, table[i].name)) {
        out->flags = (out->flags | table[i].set) & ~table[i].clear;
        known = true;
      }
    if (known) continue;
    size_t dl = strlen(out->data);
    if (dl + strlen(o) + 2 > sizeof out->data) return -1;
    if (dl) strcat(out->data, ",");
    strcat(out->data, o);
  }
  return 0;
}

static int mount_fd(const char *source, int fd, const char *shown, const char *fstype, unsigned long flags,
                    const char *data, struct strata_error *err) {
  char target[64];
  snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
  if (mount(source, target, fstype, flags, data) < 0)
    return make_error(err, errno, "%s %s on %s", flags & MS_REMOUNT ? "remount" : "mount",
                fstype ? fstype : source ? source : "", shown);
  return 0;
}

// Mounts a filesystem at path inside the root (created as a directory if missing).
static int mount_in_root(int rootfd, const char *rootfs, const char *path, const char *fstype,
                         unsigned long flags, const char *data, struct strata_error *err) {
  char shown[4096];
  snprintf(shown, sizeof shown, "%s%s", rootfs, path);
  int fd = open_in_root(rootfd, path, KIND_DIR, err);
  if (fd < 0) return -1;
  int rc = mount_fd(fstype, fd, shown, fstype, flags, data, err);
  close(fd);
  return rc;
}

// In a user namespace mknod of a device is refused: the host's node is bound over an empty file.
static int bind_host_node(int dev, const char *name, const char *rootfs, struct strata_error *err) {
  int fd = openat(dev, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return make_error(err, errno, "create %s/dev/%s", rootfs, name);
  close(fd);
  char host[64], shown[4096];
  snprintf(host, sizeof host, "/dev/%s", name);
  snprintf(shown, sizeof shown, "%s/dev/%s", rootfs, name);
  int target = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0) return make_error(err, errno, "open %s", shown);
  int rc = mount_fd(host, target, shown, NULL, MS_BIND, NULL, err);
  close(target);
  return rc;
}

static int setup_dev(int rootfd, const char *rootfs, long long shm_size, bool userns, struct strata_error *err) {
  if (mount_in_root(rootfd, rootfs, "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k", err) < 0)
    return -1;
  int dev = open_dir_in_root(rootfd, "/dev", err);
  if (dev < 0) return -1;

  static const struct { const char *name; unsigned major, minor; } nodes[] = {
      {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
  };
  for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
    if (userns) {
      if (bind_host_node(dev, nodes[i].name, rootfs, err) < 0) {
        close(dev);
        return -1;
      }
      continue;
    }
    if (mknodat(dev, nodes[i].name, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)) < 0 ||
        fchmodat(dev, nodes[i].name, 0666, 0) < 0) {
      int e = errno;
      close(dev);
      return make_error(err, e, "mknod %s/dev/%s", rootfs, nodes[i].name);
    }
  }
  static const struct { const char *target, *name; } links[] = {
      {"/proc/self/fd", "fd"},        {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"},  {"pts/ptmx", "ptmx"},         {"/proc/kcore", "core"},
  };
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    if (symlinkat(links[i].target, dev, links[i].name) < 0) {
      int e = errno;
      close(dev);
      return make_error(err, e, "symlink %s/dev/%s", rootfs, links[i].name);
    }
  }
  static const char *const dirs[] = {"pts", "shm", "mqueue"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    if (mkdirat(dev, dirs[i], 0755) < 0) {
      int e = errno;
      close(dev);
      return make_error(err, e, "mkdir %s/dev/%s", rootfs, dirs[i]);
    }
  }
  close(dev);
  if (mount_in_root(rootfd, rootfs, "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                    "newinstance,ptmxmode=0666,mode=0620,gid=5", err) < 0)
    return -1;
  char shm_data[64];
  snprintf(shm_data, sizeof shm_data, "mode=1777,size=%lld", shm_size > 0 ? shm_size : 65536LL * 1024);
  if (mount_in_root(rootfd, rootfs, "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, shm_data, err) < 0)
    return -1;
  if (mount_in_root(rootfd, rootfs, "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err) < 0)
    return -1;
  return 0;
}

// "SRC\tDST\tOPTIONS"
static unsigned long mount_flags_of(const char *path);

// mounted_fd: the shim's detached clone of SRC (idmapped if asked) to attach instead of a bind of
// the path, which a container's root in a user namespace may not reach (-1: a bind of the path).
static int setup_bind(int rootfd, const char *rootfs, const char *entry, int mounted_fd, struct strata_error *err) {
  char copy[8192];
  if (strlen(entry) >= sizeof copy) return make_error(err, ENAMETOOLONG, "bind %s", entry);
  strcpy(copy, entry);
  char *src = copy, *dst = strchr(src, '\t');
  if (!dst) return make_error(err, EINVAL, "bind entry %s", entry);
  *dst++ = 0;
  char *opts = strchr(dst, '\t');
  if (opts) *opts++ = 0;
  bool rec = false;
  struct mount_opts mo;
  if (parse_mount_options(opts ? opts : "", &mo, &rec) < 0 || mo.data[0])
    return make_error(err, EINVAL, "bind %s options %s", dst, opts);
  struct stat st;
  if ((mounted_fd >= 0 ? fstat(mounted_fd, &st) : stat(src, &st)) < 0) return make_error(err, errno, "bind source %s", src);
  int fd = open_in_root(rootfd, dst, S_ISDIR(st.st_mode) ? KIND_DIR : KIND_FILE, err);
  if (fd < 0) return -1;
  char shown[4096];
  snprintf(shown, sizeof shown, "%s%s", rootfs, dst);
  int rc;
  if (mounted_fd >= 0) {
    rc = syscall(SYS_move_mount, mounted_fd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0
             ? make_error(err, errno, "attach the mount of %s on %s", src, shown)
             : 0;
  } else {
    rc = mount_fd(src, fd, shown, NULL, MS_BIND | (rec ? MS_REC : 0), NULL, err);
  }
  unsigned long extra = mo.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
  if (rc == 0 && extra) {
    close(fd);
    // re-open: the fd from before the mount points at what the mount covers
    fd = open_in_root(rootfd, dst, S_ISDIR(st.st_mode) ? KIND_DIR : KIND_FILE, err);
    if (fd < 0) return -1;
    // in a user namespace the flags the source's mount had are locked: keep them
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    rc = mount_fd(NULL, fd, shown, NULL, MS_BIND | MS_REMOUNT | extra | mount_flags_of(proc), NULL, err);
  }
  close(fd);
  return rc;
}

// "DST\tOPTIONS"
static int setup_tmpfs(int rootfd, const char *rootfs, const char *entry, struct strata_error *err) {
  char copy[4096];
  if (strlen(entry) >= sizeof copy) return make_error(err, ENAMETOOLONG, "tmpfs %s", entry);
  strcpy(copy, entry);
  char *opts = strchr(copy, '\t');
  if (opts) *opts++ = 0;
  struct mount_opts mo;
  if (parse_mount_options(opts ? opts : "", &mo, NULL) < 0) return make_error(err, EINVAL, "tmpfs options %s", opts);
  return mount_in_root(rootfd, rootfs, copy, "tmpfs", mo.flags & ~MS_BIND, mo.data[0] ? mo.data : NULL, err);
}

// One of the container's groups, "SRC\tNAME", bound at /sys/fs/cgroup/NAME; a co-mounted hierarchy
// ("cpu,cpuacct") also gets a link per controller to it, as docker shows them.
static int bind_cgroup(int rootfd, const char *rootfs, const char *entry, bool rw, struct strata_error *err) {
  const char *name = strchr(entry, '\t');
  if (!name || !*++name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
    return make_error(err, EINVAL, "cgroup bind entry %s", entry);
  char bind[8192];
  if ((size_t)snprintf(bind, sizeof bind, "%.*s\t/sys/fs/cgroup/%s\t%snosuid,nodev,noexec", (int)(name - 1 - entry), entry,
                       name, rw ? "" : "ro,") >= sizeof bind)
    return make_error(err, ENAMETOOLONG, "cgroup bind %s", entry);
  if (setup_bind(rootfd, rootfs, bind, -1, err) < 0) return -1;
  if (!strchr(name, ',')) return 0;
  int dir = open_dir_in_root(rootfd, "/sys/fs/cgroup", err);
  if (dir < 0) return -1;
  char parts[4096];
  snprintf(parts, sizeof parts, "%s", name);
  char *save = NULL;
  for (char *c = strtok_r(parts, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
    if (symlinkat(name, dir, c) < 0 && errno != EEXIST) {
      int e = errno;
      close(dir);
      return make_error(err, e, "symlink %s/sys/fs/cgroup/%s", rootfs, c);
    }
  }
  close(dir);
  return 0;
}

// docker's /sys/fs/cgroup: a cgroup2 mount (its root is the container's group in a cgroup
// namespace), or for cgroup v1 a tmpfs holding a bind of each of the container's groups.
static int setup_cgroup_view(int rootfd, const char *rootfs, const struct spec *s, struct strata_error *err) {
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (s->cgroup_rw ? 0 : MS_RDONLY);
  if (!strcmp(s->cgroup_view, "cgroup2"))
    return mount_in_root(rootfd, rootfs, "/sys/fs/cgroup", "cgroup2", flags, NULL, err);
  if (mount_in_root(rootfd, rootfs, "/sys/fs/cgroup", "tmpfs", flags & ~MS_RDONLY, "mode=755", err) < 0) return -1;
  for (size_t i = 0; i < s->cgroup_binds.n; i++)
    if (bind_cgroup(rootfd, rootfs, s->cgroup_binds.v[i], s->cgroup_rw, err) < 0) return -1;
  if (s->cgroup_rw) return 0;
  int fd = open_in_root(rootfd, "/sys/fs/cgroup", KIND_DIR, err);
  if (fd < 0) return -1;
  char shown[4096];
  snprintf(shown, sizeof shown, "%s/sys/fs/cgroup", rootfs);
  int rc = mount_fd(NULL, fd, shown, NULL, MS_BIND | MS_REMOUNT | flags, NULL, err);
  close(fd);
  return rc;
}

// sysfs shows the network namespace of whoever mounts it, and the kernel refuses it to a user
// namespace that does not own that network namespace (a prepared one is the host's): then the
// host's /sys is bound read-only, as runc does.
static int setup_sys(int rootfd, const char *rootfs, bool userns, int sysfs_fd, struct strata_error *err) {
  const unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
  if (sysfs_fd >= 0) { // the shim's, of our network namespace (userns.c)
    int fd = open_in_root(rootfd, "/sys", KIND_DIR, err);
    if (fd < 0) return -1;
    int rc = syscall(SYS_move_mount, sysfs_fd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0
                 ? make_error(err, errno, "attach sysfs on %s/sys", rootfs)
                 : 0;
    close(fd);
    return rc;
  }
  struct strata_error first = {0};
  if (mount_in_root(rootfd, rootfs, "/sys", "sysfs", flags, NULL, userns ? &first : err) == 0) return 0;
  if (!userns || first.errnum != EPERM) {
    if (userns) *err = first;
    return -1;
  }
  char bind[4200];
  snprintf(bind, sizeof bind, "/sys\t/sys\trbind,ro,nosuid,nodev,noexec");
  return setup_bind(rootfd, rootfs, bind, -1, err);
}

static int pivot(const char *rootfs, int rootfd, struct strata_error *err) {
  int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0) return make_error(err, errno, "open /");
  int rc = -1;
  // pivot_root(".", ".") stacks the old root on top of the new one; unmounting "."
  // then takes the old root away without needing a directory for it in the image.
  if (fchdir(rootfd) < 0) make_error(err, errno, "chdir %s", rootfs);
  else if (syscall(SYS_pivot_root, ".", ".") < 0) make_error(err, errno, "pivot_root %s", rootfs);
  else if (fchdir(oldroot) < 0) make_error(err, errno, "chdir old root");
  else if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) make_error(err, errno, "make old root rslave");
  else if (umount2(".", MNT_DETACH) < 0) make_error(err, errno, "umount old root");
  else if (chdir("/") < 0) make_error(err, errno, "chdir /");
  else rc = 0;
  close(oldroot);
  return rc;
}

int rootfs_enter(const struct spec *s, struct strata_error *err) {
  const char *rootfs = s->rootfs;
  if (!rootfs || rootfs[0] != '/') return make_error(err, EINVAL, "rootfs %s", rootfs ? rootfs : "(missing)");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) return make_error(err, errno, "make / rprivate");
  // pivot_root needs the new root to be a mount point of its own
  if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) return make_error(err, errno, "bind %s on itself", rootfs);
  int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) return make_error(err, errno, "open %s", rootfs);
  return rootfd;
}

int rootfs_prepare(const struct spec *s, int rootfd, struct strata_error *err) {
  const char *rootfs = s->rootfs;
  int rc = -1;
  if (mount_in_root(rootfd, rootfs, "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err) < 0) goto out;
  bool unprivileged = spec_has_userns(s) || s->rootless;
  if (setup_dev(rootfd, rootfs, s->shm_size, unprivileged, err) < 0) goto out;
  if (setup_sys(rootfd, rootfs, unprivileged, s->sysfs_fd, err) < 0) goto out;
  if (s->cgroup_view && setup_cgroup_view(rootfd, rootfs, s, err) < 0) goto out;
  for (size_t i = 0; i < s->binds.n; i++)
    if (setup_bind(rootfd, rootfs, s->binds.v[i], s->bind_fds ? s->bind_fds[i] : -1, err) < 0) goto out;
  for (size_t i = 0; i < s->tmpfs.n; i++)
    if (setup_tmpfs(rootfd, rootfs, s->tmpfs.v[i], err) < 0) goto out;
  // before a read-only root can get in the way
  if (s->cwd && *s->cwd) {
    int fd = open_in_root(rootfd, s->cwd, KIND_DIR, err);
    if (fd < 0) goto out;
    close(fd);
  }
  rc = pivot(rootfs, rootfd, err);
out:
  close(rootfd);
  return rc;
}

// Locked flags must be kept on a bind remount, so take them from the mount itself.
static unsigned long mount_flags_of(const char *path) {
  struct statvfs sv;
  unsigned long flags = 0;
  if (statvfs(path, &sv) < 0) return 0;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

int rootfs_finish(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->ropaths.n; i++) {
    const char *p = s->ropaths.v[i];
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
      if (errno == ENOENT) continue;
      return make_error(err, errno, "bind read-only path %s", p);
    }
    if (mount(p, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags_of(p), NULL) < 0)
      return make_error(err, errno, "remount read-only path %s", p);
  }
  for (size_t i = 0; i < s->masks.n; i++) {
    const char *p = s->masks.v[i];
    struct stat st;
    if (stat(p, &st) < 0) {
      if (errno == ENOENT) continue;
      return make_error(err, errno, "stat masked path %s", p);
    }
    int rc = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL)
                                 : mount("/dev/null", p, NULL, MS_BIND, NULL);
    if (rc < 0) return make_error(err, errno, "mask %s", p);
  }
  if (s->readonly_rootfs &&
      mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags_of("/"), NULL) < 0)
    return make_error(err, errno, "remount / read-only");
  return 0;
}
