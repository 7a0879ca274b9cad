// Reading the spec file (CONTRACT.md): key-value lines, unescaped, checked and kept in struct spec.
#include "spec.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"

static int strv_push(struct strv *v, const char *value) {
  char **p = realloc(v->v, (v->n + 2) * sizeof *p);
  if (!p) return -1;
  v->v = p;
  if (!(p[v->n] = strdup(value))) return -1;
  p[++v->n] = NULL;
  return 0;
}

static void strv_free(struct strv *v) {
  for (size_t i = 0; i < v->n; i++) free(v->v[i]);
  free(v->v);
  v->v = NULL;
  v->n = 0;
}

// In place: \\ → \, \n → newline, \t → tab.
static int unescape(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r != '\\') {
      *w++ = *r;
      continue;
    }
    r++;
    if (*r == '\\') *w++ = '\\';
    else if (*r == 'n') *w++ = '\n';
    else if (*r == 't') *w++ = '\t';
    else return -1;
  }
  *w = 0;
  return 0;
}

static int parse_bool(const char *v, bool *out) {
  if (strcmp(v, "1") == 0) *out = true;
  else if (strcmp(v, "0") == 0) *out = false;
  else return -1;
  return 0;
}

static int parse_ll(const char *v, long long min, long long max, long long *out) {
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno || end == v || *end || n < min || n > max) return -1;
  *out = n;
  return 0;
}

static int set_str(char **slot, const char *v) {
  free(*slot);
  *slot = strdup(v);
  return *slot ? 0 : -1;
}

static int parse_groups(struct spec *s, const char *v) {
  free(s->groups);
  s->groups = NULL;
  s->ngroups = 0;
  if (!*v) return 0;
  size_t n = 1;
  for (const char *p = v; *p; p++) n += *p == ',';
  if (!(s->groups = calloc(n, sizeof *s->groups))) return -1;
  const char *p = v;
  for (size_t i = 0; i < n; i++) {
    char *end;
    errno = 0;
    unsigned long g = strtoul(p, &end, 10);
    if (errno || end == p || (*end && *end != ',') || g > UINT_MAX - 1) return -1;
    s->groups[s->ngroups++] = (gid_t)g;
    p = end + (*end == ',');
  }
  return 0;
}

// "INSIDE OUTSIDE COUNT", one line of /proc/PID/uid_map
static bool valid_map(const char *v) {
  unsigned a, b, c;
  char end;
  return sscanf(v, "%u %u %u%c", &a, &b, &c, &end) == 3 && c > 0;
}

static int parse_entry(struct spec *s, const char *key, const char *v) {
  long long n;
  int monitor = monitor_spec_entry(&s->monitor, key, v);
  if (monitor != -2) return monitor;
  if (!strcmp(key, "id")) return set_str(&s->id, v);
  if (!strcmp(key, "rootfs")) return set_str(&s->rootfs, v);
  if (!strcmp(key, "cwd")) return set_str(&s->cwd, v);
  if (!strcmp(key, "hostname")) return set_str(&s->hostname, v);
  if (!strcmp(key, "log")) return set_str(&s->log, v);
  if (!strcmp(key, "exit_file")) return set_str(&s->exit_file, v);
  if (!strcmp(key, "pid_file")) return set_str(&s->pid_file, v);
  if (!strcmp(key, "attach_socket")) return set_str(&s->attach_socket, v);
  if (!strcmp(key, "netns")) return set_str(&s->netns, v);
  if (!strcmp(key, "slirp_path")) return set_str(&s->slirp4netns, v);
  if (!strcmp(key, "slirp_api")) return set_str(&s->slirp_api, v);
  if (!strcmp(key, "slirp_port")) return strv_push(&s->slirp_ports, v);
  if (!strcmp(key, "arg")) return strv_push(&s->args, v);
  if (!strcmp(key, "env")) return strv_push(&s->env, v);
  if (!strcmp(key, "mask")) return strv_push(&s->masks, v);
  if (!strcmp(key, "ropath")) return strv_push(&s->ropaths, v);
  if (!strcmp(key, "cgroup_join")) return strv_push(&s->cgroup_join, v);
  if (!strcmp(key, "cgroup_dir")) return strv_push(&s->cgroup_dirs, v);
  if (!strcmp(key, "oom_counter")) return strv_push(&s->oom_counters, v);
  if (!strcmp(key, "umount")) return strv_push(&s->umounts, v);
  if (!strcmp(key, "bind")) return strv_push(&s->binds, v);
  if (!strcmp(key, "tmpfs")) return strv_push(&s->tmpfs, v);
  if (!strcmp(key, "cgroup_view")) return strcmp(v, "cgroup2") && strcmp(v, "tmpfs") ? -1 : set_str(&s->cgroup_view, v);
  if (!strcmp(key, "cgroup_bind")) return strv_push(&s->cgroup_binds, v);
  if (!strcmp(key, "cgroup_rw")) return parse_bool(v, &s->cgroup_rw);
  if (!strcmp(key, "seccomp")) return parse_bool(v, &s->seccomp);
  if (!strcmp(key, "seccomp_deny")) return strv_push(&s->seccomp_deny, v);
  if (!strcmp(key, "seccomp_default")) return set_str(&s->seccomp_default, v);
  if (!strcmp(key, "seccomp_rule")) return strv_push(&s->seccomp_rules, v);
  if (!strcmp(key, "rlimit")) return strv_push(&s->rlimits, v);
  if (!strcmp(key, "sysctl")) return strchr(v, '\t') ? strv_push(&s->sysctls, v) : -1;
  if (!strcmp(key, "ns_join")) return strv_push(&s->ns_joins, v);
  if (!strcmp(key, "domainname")) return set_str(&s->domainname, v);
  if (!strcmp(key, "uid_map")) return valid_map(v) ? set_str(&s->uid_map, v) : -1;
  if (!strcmp(key, "gid_map")) return valid_map(v) ? set_str(&s->gid_map, v) : -1;
  if (!strcmp(key, "idmap_lower")) return strv_push(&s->idmap_lowers, v);
  if (!strcmp(key, "idmap_upper")) return set_str(&s->idmap_upper, v);
  if (!strcmp(key, "idmap_work")) return set_str(&s->idmap_work, v);
  if (!strcmp(key, "shm_size")) {
    if (parse_ll(v, 1, LLONG_MAX, &n) < 0) return -1;
    s->shm_size = n;
    return 0;
  }
  if (!strcmp(key, "seccomp_deny_clone_ns")) return parse_bool(v, &s->seccomp_deny_clone_ns);
  if (!strcmp(key, "no_new_privs")) return parse_bool(v, &s->no_new_privs);
  if (!strcmp(key, "readonly_rootfs")) return parse_bool(v, &s->readonly_rootfs);
  if (!strcmp(key, "rootless")) return parse_bool(v, &s->rootless);
  if (!strcmp(key, "tty")) return parse_bool(v, &s->tty);
  if (!strcmp(key, "open_stdin")) return parse_bool(v, &s->open_stdin);
  if (!strcmp(key, "wait_attach")) return parse_bool(v, &s->wait_attach);
  if (!strcmp(key, "groups")) return parse_groups(s, v);
  if (!strcmp(key, "ns")) {
    static const struct { const char *name; int flag; } ns[] = {
        {"pid", CLONE_NEWPID}, {"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
        {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET},  {"cgroup", CLONE_NEWCGROUP},
    };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
      if (!strcmp(v, ns[i].name)) {
        s->ns_flags |= ns[i].flag;
        return 0;
      }
    return -1;
  }
  if (!strcmp(key, "cap")) {
    int cap = cap_from_name(v);
    if (cap < 0) return -1;
    s->caps |= 1ULL << cap;
    return 0;
  }
  if (!strcmp(key, "user")) {
    char *end;
    errno = 0;
    unsigned long uid = strtoul(v, &end, 10);
    if (errno || end == v || *end != ':' || uid >= UINT_MAX) return -1;
    const char *g = end + 1;
    unsigned long gid = strtoul(g, &end, 10);
    if (errno || end == g || *end || gid >= UINT_MAX) return -1;
    s->uid = (uid_t)uid;
    s->gid = (gid_t)gid;
    return 0;
  }
  if (!strcmp(key, "log_max_size")) {
    if (parse_ll(v, 0, LLONG_MAX, &n) < 0) return -1;
    s->log_max_size = n;
    return 0;
  }
  if (!strcmp(key, "log_max_files")) {
    if (parse_ll(v, 1, 100000, &n) < 0) return -1;
    s->log_max_files = (int)n;
    return 0;
  }
  if (!strcmp(key, "target_pid")) {
    if (parse_ll(v, 1, INT_MAX, &n) < 0) return -1;
    s->target_pid = (pid_t)n;
    return 0;
  }
  if (!strcmp(key, "oom_score_adj")) {
    if (parse_ll(v, -1000, 1000, &n) < 0) return -1;
    s->oom_score_adj = (int)n;
    s->has_oom_score_adj = true;
    return 0;
  }
  errno = EINVAL;
  return -2;
}

int spec_load(const char *path, struct spec *s, struct strata_error *err) {
  memset(s, 0, sizeof *s);
  s->log_max_files = 1;
  s->sysfs_fd = -1;
  struct buf text = {0};
  if (read_file(path, &text) < 0) return make_error(err, errno, "read spec %s", path);
  char *save = NULL;
  int lineno = 0;
  int rc = 0;
  for (char *line = text.data ? strtok_r(text.data, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    char *sp = strchr(line, ' ');
    char *value = sp ? sp + 1 : line + strlen(line);
    if (sp) *sp = 0;
    if (!*line) continue;
    if (unescape(value) < 0) {
      rc = make_error(err, 0, "spec %s line %d: bad escape in value of %s", path, lineno, line);
      break;
    }
    int r = parse_entry(s, line, value);
    if (r == -2) {
      rc = make_error(err, 0, "spec %s line %d: unknown key %s", path, lineno, line);
      break;
    }
    if (r < 0) {
      rc = make_error(err, 0, "spec %s line %d: bad value for %s: %s", path, lineno, line, value);
      break;
    }
  }
  buf_free(&text);
  if (rc == 0 && s->args.n == 0) rc = make_error(err, 0, "spec %s: no arg entries", path);
  if (rc == 0 && !s->uid_map != !s->gid_map) rc = make_error(err, 0, "spec %s: uid_map and gid_map go together", path);
  if (rc == 0 && (s->idmap_lowers.n || s->idmap_upper || s->idmap_work) &&
      (!s->uid_map || !s->idmap_lowers.n || !s->idmap_upper || !s->idmap_work))
    rc = make_error(err, 0, "spec %s: idmap_lower, idmap_upper and idmap_work need each other and uid_map", path);
  if (rc < 0) spec_free(s);
  return rc;
}

void spec_free(struct spec *s) {
  char **strs[] = {&s->id, &s->rootfs, &s->cwd, &s->hostname, &s->log, &s->exit_file, &s->pid_file, &s->attach_socket, &s->netns, &s->seccomp_default, &s->domainname, &s->uid_map, &s->gid_map, &s->idmap_upper, &s->idmap_work, &s->slirp4netns, &s->slirp_api};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
    free(*strs[i]);
    *strs[i] = NULL;
  }
  struct strv *vs[] = {&s->args,         &s->env,         &s->masks,        &s->ropaths, &s->cgroup_join,
                       &s->cgroup_dirs,  &s->oom_counters, &s->umounts,     &s->binds,   &s->tmpfs};
  for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) strv_free(vs[i]);
  strv_free(&s->seccomp_deny);
  strv_free(&s->cgroup_binds);
  free(s->cgroup_view);
  s->cgroup_view = NULL;
  strv_free(&s->seccomp_rules);
  strv_free(&s->rlimits);
  strv_free(&s->sysctls);
  strv_free(&s->ns_joins);
  strv_free(&s->slirp_ports);
  strv_free(&s->idmap_lowers);
  free(s->bind_fds);
  s->bind_fds = NULL;
  free(s->groups);
  s->groups = NULL;
  monitor_spec_free(&s->monitor);
}

const char *spec_getenv(const struct spec *s, const char *name) {
  size_t len = strlen(name);
  const char *found = NULL;
  for (size_t i = 0; i < s->env.n; i++)
    if (!strncmp(s->env.v[i], name, len) && s->env.v[i][len] == '=') found = s->env.v[i] + len + 1;
  return found;
}
