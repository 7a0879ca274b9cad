// Joined namespaces, rlimits and sysctls of the container process (CONTRACT.md: ns_join, rlimit, sysctl).
#include "host-options.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int join_one(const char *entry, const char *kind, int flag, struct strata_error *err) {
  size_t len = strlen(kind);
  if (strncmp(entry, kind, len) || entry[len] != '\t') return 0;
  const char *path = entry + len + 1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open %s namespace %s", kind, path);
  int rc = setns(fd, flag) < 0 ? make_error(err, errno, "join %s namespace %s", kind, path) : 0;
  close(fd);
  return rc;
}

int ns_join_pid(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->ns_joins.n; i++)
    if (join_one(s->ns_joins.v[i], "pid", CLONE_NEWPID, err) < 0) return -1;
  return 0;
}

int ns_join_others(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->ns_joins.n; i++) {
    const char *e = s->ns_joins.v[i];
    if (strncmp(e, "pid\t", 4) && strncmp(e, "ipc\t", 4) && strncmp(e, "uts\t", 4))
      return make_error(err, EINVAL, "ns_join entry %s", e);
    if (join_one(e, "ipc", CLONE_NEWIPC, err) < 0 || join_one(e, "uts", CLONE_NEWUTS, err) < 0) return -1;
  }
  return 0;
}

static const struct { const char *name; int resource; } RLIMITS[] = {
    {"as", RLIMIT_AS},         {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},     {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO}, {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
};

int apply_rlimits(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->rlimits.n; i++) {
    char name[32];
    long long soft, hard;
    if (sscanf(s->rlimits.v[i], "%31s %lld %lld", name, &soft, &hard) != 3) return make_error(err, EINVAL, "rlimit entry %s", s->rlimits.v[i]);
    int resource = -1;
    for (size_t j = 0; j < sizeof RLIMITS / sizeof RLIMITS[0]; j++)
      if (!strcmp(name, RLIMITS[j].name)) resource = RLIMITS[j].resource;
    if (resource < 0) return make_error(err, EINVAL, "unknown rlimit %s", name);
    struct rlimit rl = {.rlim_cur = soft < 0 ? RLIM_INFINITY : (rlim_t)soft, .rlim_max = hard < 0 ? RLIM_INFINITY : (rlim_t)hard};
    if (setrlimit(resource, &rl) < 0)
      return make_error(err, errno, "setting ulimit %s=%lld:%lld (the host may refuse limits above its own)", name, soft, hard);
  }
  return 0;
}

int write_sysctls(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->sysctls.n; i++) {
    const char *entry = s->sysctls.v[i];
    const char *tab = strchr(entry, '\t');
    char path[512];
    int n = snprintf(path, sizeof path, "/proc/sys/%.*s", (int)(tab - entry), entry);
    if (n < 0 || (size_t)n >= sizeof path) return make_error(err, ENAMETOOLONG, "sysctl %s", entry);
    for (char *p = path + strlen("/proc/sys/"); *p; p++)
      if (*p == '.') *p = '/';
    if (strstr(path, "/..")) return make_error(err, EINVAL, "sysctl %s", entry);
    if (write_file(path, tab + 1, strlen(tab + 1), err) < 0) return -1;
  }
  return 0;
}
