// The spec file `strata-shim run|exec` reads (format in CONTRACT.md).
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "monitor-spec.h"
#include "util.h"

struct strv {
  char **v; // NULL-terminated
  size_t n;
};

struct spec {
  char *id, *rootfs, *cwd, *hostname;
  char *log, *exit_file, *pid_file, *attach_socket;
  char *netns; // join this bound network namespace instead of creating one
  char *slirp4netns, *slirp_api; // rootless networking: slirp4netns's path, its API socket
  struct strv args, env, masks, ropaths, cgroup_join, cgroup_dirs, oom_counters, umounts, binds, tmpfs;
  int ns_flags;  // CLONE_NEW* bits
  uint64_t caps; // bit per capability number
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  size_t ngroups;
  bool no_new_privs, readonly_rootfs, tty, open_stdin, wait_attach;
  bool rootless; // the shim itself runs in an unprivileged user's namespace: no mknod, no host sysfs
  long long log_max_size;
  int log_max_files;
  pid_t target_pid;
  bool seccomp, seccomp_deny_clone_ns;
  struct strv seccomp_deny; // system call names refused with EPERM
  char *cgroup_view;         // "cgroup2" or "tmpfs" (with cgroup_binds) at /sys/fs/cgroup; NULL: none
  struct strv cgroup_binds;  // "SRC\tNAME": a container's group shown as /sys/fs/cgroup/NAME
  bool cgroup_rw;
  char *seccomp_default;    // a profile's action for calls it does not name (NULL: allow)
  struct strv seccomp_rules; // "NAME\tACTION" of a profile, first match wins
  bool has_oom_score_adj;
  int oom_score_adj;
  struct strv rlimits;  // "NAME SOFT HARD" (-1: unlimited), set before execve
  struct strv sysctls;  // "KEY\tVALUE" written to /proc/sys in the container
  struct strv ns_joins; // "KIND\tPATH": pid, ipc or uts namespace joined instead of created
  struct strv slirp_ports; // "PROTO HOSTIP HOSTPORT CONTAINERPORT" forwarded by slirp4netns
  long long shm_size;   // bytes of /dev/shm (0: 64 MiB)
  char *domainname;
  struct monitor_policy monitor; // restart policy and health check (run only)
  char *uid_map, *gid_map;       // "0 HOSTID COUNT": a new user namespace with these maps (run only)
  struct strv idmap_lowers;      // the overlay's lower dirs, mounted by the shim idmapped (run only)
  char *idmap_upper, *idmap_work;
  int sysfs_fd;                  // user namespace: the shim's sysfs of the container's network namespace, or -1
  int *bind_fds;                 // user namespace: per bind, a detached mount the shim made before clone
};

int spec_load(const char *path, struct spec *s, struct strata_error *err);
void spec_free(struct spec *s);
const char *spec_getenv(const struct spec *s, const char *name);
