// Node-API bindings: each function reads its JS arguments, calls the C file that does the work
// and converts the result, or the strata_error it filled into a JS exception (like Node's fs errors).
#include <arpa/inet.h>
#include <math.h>
#include <net/if.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device-filter.h"
#include "error.h"
#include "lock.h"
#include "mount.h"
#include "netns.h"
#include "new-file.h"
#include "remove-tree.h"
#include "spawn.h"
#include "xattr.h"

// An error of the C side as a JS exception shaped like Node's own fs errors: code ('ENOENT'),
// errno (negative), syscall and the message saying what was being done.
static napi_value throw_error(napi_env env, const struct strata_error *err) {
  napi_value code, message, error, num, syscall;
  const char *name = err->errnum ? strerrorname_np(err->errnum) : NULL;
  if (napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, err->msg, NAPI_AUTO_LENGTH, &message) != napi_ok ||
      napi_create_error(env, code, message, &error) != napi_ok || napi_create_int32(env, -err->errnum, &num) != napi_ok ||
      napi_set_named_property(env, error, "errno", num) != napi_ok) {
    napi_throw_error(env, name, err->msg); // cannot build the full shape: the message still goes
    return NULL;
  }
  if (err->syscall && (napi_create_string_utf8(env, err->syscall, NAPI_AUTO_LENGTH, &syscall) != napi_ok ||
                       napi_set_named_property(env, error, "syscall", syscall) != napi_ok)) {
    napi_throw_error(env, name, err->msg);
    return NULL;
  }
  napi_throw(env, error);
  return NULL;
}

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *usage) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, usage);
    return false;
  }
  return true;
}

// Returns a malloc'd copy of a JS string, or NULL after throwing a TypeError.
static char *get_string(napi_env env, napi_value v, const char *usage) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char *s = malloc(len + 1);
  if (!s) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, v, s, len + 1, &len) != napi_ok) {
    free(s);
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (strlen(s) != len) {
    free(s);
    napi_throw_type_error(env, NULL, "strings passed to the kernel must not contain NUL");
    return NULL;
  }
  return s;
}

// The one argument of a function of one string (malloc'd), or NULL after throwing a TypeError.
static char *only_string_argument(napi_env env, napi_callback_info info, const char *usage) {
  napi_value argv[1];
  return get_args(env, info, 1, argv, usage) ? get_string(env, argv[0], usage) : NULL;
}

// NULL (with an exception pending) should node fail to hand out the value
static napi_value undefined(napi_env env) {
  napi_value u;
  return napi_get_undefined(env, &u) == napi_ok ? u : NULL;
}

static napi_value boolean(napi_env env, bool b) {
  napi_value v;
  return napi_get_boolean(env, b, &v) == napi_ok ? v : NULL;
}

// undefined when the call (rc) succeeded, else the error it filled, thrown.
static napi_value done(napi_env env, int rc, const struct strata_error *err) {
  return rc < 0 ? throw_error(env, err) : undefined(env);
}

// flock(fd, exclusive, nonBlocking) → true when taken, false when non-blocking and busy
static napi_value js_flock(napi_env env, napi_callback_info info) {
  static const char usage[] = "flock(fd: number, exclusive: boolean, nonBlocking: boolean)";
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, usage)) return NULL;
  int32_t fd;
  bool exclusive, non_blocking, taken;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_bool(env, argv[1], &exclusive) != napi_ok ||
      napi_get_value_bool(env, argv[2], &non_blocking) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  struct strata_error err = {0};
  if (lock_file(fd, exclusive, non_blocking, &taken, &err) < 0) return throw_error(env, &err);
  return boolean(env, taken);
}

// The length of an array argument; throws a TypeError with the usage line if it is none.
static bool array_length(napi_env env, napi_value value, const char *usage, uint32_t *n) {
  bool is_array;
  if (napi_is_array(env, value, &is_array) != napi_ok || !is_array || napi_get_array_length(env, value, n) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return false;
  }
  return true;
}

// The strings of an array argument, malloc'd into out[0..n) (out has room for them); false after
// throwing, with *got of them made (the caller frees those).
static bool get_strings(napi_env env, napi_value array, uint32_t n, char **out, uint32_t *got, const char *usage) {
  for (*got = 0; *got < n; (*got)++) {
    napi_value el;
    if (napi_get_element(env, array, *got, &el) != napi_ok) {
      napi_throw_type_error(env, NULL, usage);
      return false;
    }
    if (!(out[*got] = get_string(env, el, usage))) return false;
  }
  return true;
}

static void free_strings(char **strings, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) free(strings[i]);
}

// A Buffer argument's bytes, or false after throwing a TypeError.
static bool get_buffer(napi_env env, napi_value v, void **data, size_t *len, const char *usage) {
  bool is_buffer;
  if (napi_is_buffer(env, v, &is_buffer) != napi_ok || !is_buffer || napi_get_buffer_info(env, v, data, len) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return false;
  }
  return true;
}

// mountOverlay(lowerdirs: string[], upper: string, work: string, target: string, volatileUpper: boolean)
static napi_value js_mount_overlay(napi_env env, napi_callback_info info) {
  static const char usage[] = "mountOverlay(lowerdirs: string[], upper: string, work: string, target: string, volatileUpper: boolean)";
  napi_value argv[5];
  bool volatile_upper;
  uint32_t n, got = 0;
  if (!get_args(env, info, 5, argv, usage)) return NULL;
  if (napi_get_value_bool(env, argv[4], &volatile_upper) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (!array_length(env, argv[0], usage, &n)) return NULL;
  char **lowers = calloc(n ? n : 1, sizeof *lowers);
  if (!lowers) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  char *upper = NULL, *work = NULL, *target = NULL;
  napi_value result = NULL;
  if (get_strings(env, argv[0], n, lowers, &got, usage) && (upper = get_string(env, argv[1], usage)) &&
      (work = get_string(env, argv[2], usage)) && (target = get_string(env, argv[3], usage))) {
    struct strata_error err = {0};
    int rc = strata_mount_overlay((const char *const *)lowers, n, upper, work, target, volatile_upper, &err);
    result = done(env, rc, &err);
  }
  free_strings(lowers, got);
  free(lowers);
  free(upper);
  free(work);
  free(target);
  return result;
}

// mount(source, target, fstype, flags: string[], data)
static napi_value js_mount(napi_env env, napi_callback_info info) {
  static const char usage[] = "mount(source: string, target: string, fstype: string, flags: string[], data: string)";
  napi_value argv[5];
  if (!get_args(env, info, 5, argv, usage)) return NULL;
  uint32_t n;
  if (!array_length(env, argv[3], usage, &n)) return NULL;
  unsigned long flags = 0;
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    char *name;
    if (napi_get_element(env, argv[3], i, &el) != napi_ok || !(name = get_string(env, el, usage))) return NULL;
    bool ok = strata_mount_flag(name, &flags);
    if (!ok) {
      char msg[256];
      snprintf(msg, sizeof msg, "mount: unknown flag %s", name);
      free(name);
      napi_throw_type_error(env, NULL, msg);
      return NULL;
    }
    free(name);
  }
  char *source = NULL, *target = NULL, *fstype = NULL, *data = NULL;
  napi_value result = NULL;
  if ((source = get_string(env, argv[0], usage)) && (target = get_string(env, argv[1], usage)) &&
      (fstype = get_string(env, argv[2], usage)) && (data = get_string(env, argv[4], usage))) {
    struct strata_error err = {0};
    result = done(env, strata_mount(source, target, fstype, flags, data, &err), &err);
  }
  free(source);
  free(target);
  free(fstype);
  free(data);
  return result;
}

// umount(target, detach)
static napi_value js_umount(napi_env env, napi_callback_info info) {
  static const char usage[] = "umount(target: string, detach: boolean)";
  napi_value argv[2];
  bool detach;
  if (!get_args(env, info, 2, argv, usage)) return NULL;
  if (napi_get_value_bool(env, argv[1], &detach) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char *target = get_string(env, argv[0], usage);
  if (!target) return NULL;
  struct strata_error err = {0};
  napi_value result = done(env, strata_umount(target, detach, &err), &err);
  free(target);
  return result;
}

// mknod(path, mode, major, minor)
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  static const char usage[] = "mknod(path: string, mode: number, major: number, minor: number)";
  napi_value argv[4];
  uint32_t mode, major, minor;
  if (!get_args(env, info, 4, argv, usage)) return NULL;
  if (napi_get_value_uint32(env, argv[1], &mode) != napi_ok || napi_get_value_uint32(env, argv[2], &major) != napi_ok ||
      napi_get_value_uint32(env, argv[3], &minor) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char *path = get_string(env, argv[0], usage);
  if (!path) return NULL;
  struct strata_error err = {0};
  napi_value result = done(env, make_node(path, (mode_t)mode, major, minor, &err), &err);
  free(path);
  return result;
}

// libuv's conversion of fractional seconds, so times come out as fs.futimesSync set them
static struct timespec to_timespec(double t) {
  struct timespec ts;
  ts.tv_sec = (time_t)t;
  ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec < 0) {
    ts.tv_sec -= 1;
    ts.tv_nsec += 1000000000;
  }
  return ts;
}

// writeNewFile(path, data: Buffer, mode, uid, gid, chown: boolean, atime, mtime): see new-file.h
static napi_value js_write_new_file(napi_env env, napi_callback_info info) {
  static const char usage[] =
      "writeNewFile(path: string, data: Buffer, mode: number, uid: number, gid: number, chown: boolean, atime: number, mtime: number)";
  napi_value argv[8];
  if (!get_args(env, info, 8, argv, usage)) return NULL;
  struct new_file f;
  void *data;
  uint32_t mode, uid, gid;
  double atime, mtime;
  if (!get_buffer(env, argv[1], &data, &f.len, usage)) return NULL;
  if (napi_get_value_uint32(env, argv[2], &mode) != napi_ok || napi_get_value_uint32(env, argv[3], &uid) != napi_ok ||
      napi_get_value_uint32(env, argv[4], &gid) != napi_ok || napi_get_value_bool(env, argv[5], &f.chown) != napi_ok ||
      napi_get_value_double(env, argv[6], &atime) != napi_ok || napi_get_value_double(env, argv[7], &mtime) != napi_ok ||
      !isfinite(atime) || !isfinite(mtime)) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char *path = get_string(env, argv[0], usage);
  if (!path) return NULL;
  f.path = path;
  f.data = data;
  f.mode = (mode_t)mode;
  f.uid = (uid_t)uid;
  f.gid = (gid_t)gid;
  f.times[0] = to_timespec(atime);
  f.times[1] = to_timespec(mtime);
  struct strata_error err = {0};
  napi_value result = done(env, write_new_file(&f, &err), &err);
  free(path);
  return result;
}

// f(string): undefined, or what call filled thrown; for the calls of one string that return nothing.
static napi_value call_with_string(napi_env env, napi_callback_info info, const char *usage,
                                   int (*call)(const char *, struct strata_error *)) {
  char *s = only_string_argument(env, info, usage);
  if (!s) return NULL;
  struct strata_error err = {0};
  napi_value result = done(env, call(s, &err), &err);
  free(s);
  return result;
}

// removeTree(path): see remove-tree.h
static napi_value js_remove_tree(napi_env env, napi_callback_info info) {
  return call_with_string(env, info, "removeTree(path: string)", remove_tree);
}

// attachDeviceFilter(cgroupDir, rules): rules in docker's syntax, one per line
static napi_value js_attach_device_filter(napi_env env, napi_callback_info info) {
  static const char usage[] = "attachDeviceFilter(cgroupDir: string, rules: string)";
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, usage)) return NULL;
  char *dir = get_string(env, argv[0], usage), *rules = dir ? get_string(env, argv[1], usage) : NULL;
  napi_value result = NULL;
  if (dir && rules) {
    struct strata_error err = {0};
    result = done(env, device_filter_attach(dir, rules, &err), &err);
  }
  free(rules);
  free(dir);
  return result;
}

// lsetxattr(path, name, value: Buffer)
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  static const char usage[] = "lsetxattr(path: string, name: string, value: Buffer)";
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, usage)) return NULL;
  void *data;
  size_t len;
  if (!get_buffer(env, argv[2], &data, &len, usage)) return NULL;
  char *path = get_string(env, argv[0], usage), *name = path ? get_string(env, argv[1], usage) : NULL;
  napi_value result = NULL;
  if (path && name) {
    struct strata_error err = {0};
    result = done(env, xattr_set(path, name, data, len, &err), &err);
  }
  free(path);
  free(name);
  return result;
}

// lgetxattr(path, name) → Buffer | null
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  static const char usage[] = "lgetxattr(path: string, name: string)";
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, usage)) return NULL;
  char *path = get_string(env, argv[0], usage), *name = path ? get_string(env, argv[1], usage) : NULL;
  napi_value result = NULL;
  if (path && name) {
    struct strata_error err = {0};
    char *value;
    size_t len;
    if (xattr_get(path, name, &value, &len, &err) < 0) throw_error(env, &err);
    else if (!value ? napi_get_null(env, &result) != napi_ok : napi_create_buffer_copy(env, len, value, NULL, &result) != napi_ok)
      result = NULL;
    free(value);
  }
  free(path);
  free(name);
  return result;
}

// llistxattr(path) → string[]
static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  static const char usage[] = "llistxattr(path: string)";
  char *path = only_string_argument(env, info, usage);
  if (!path) return NULL;
  struct strata_error err = {0};
  char *list;
  size_t len;
  int rc = xattr_list(path, &list, &len, &err);
  free(path);
  if (rc < 0) return throw_error(env, &err);
  napi_value result;
  if (napi_create_array(env, &result) != napi_ok) result = NULL;
  uint32_t idx = 0;
  for (size_t off = 0; result && off < len;) {
    size_t n = strnlen(list + off, len - off);
    napi_value name;
    if (napi_create_string_utf8(env, list + off, n, &name) != napi_ok || napi_set_element(env, result, idx++, name) != napi_ok)
      result = NULL; // the pending exception says why
    off += n + 1;
  }
  free(list);
  return result;
}

// isMountPoint(path) → boolean
static napi_value js_is_mount_point(napi_env env, napi_callback_info info) {
  static const char usage[] = "isMountPoint(path: string)";
  char *path = only_string_argument(env, info, usage);
  if (!path) return NULL;
  bool is;
  struct strata_error err = {0};
  napi_value result = strata_is_mount_point(path, &is, &err) < 0 ? throw_error(env, &err) : boolean(env, is);
  free(path);
  return result;
}

// deleteLink(name): gone already counts as done
static napi_value js_delete_link(napi_env env, napi_callback_info info) {
  return call_with_string(env, info, "deleteLink(name: string)", strata_delete_link);
}

// createSandbox(netnsPath, hostVeth, bridge, mac "02:42:…", ip "a.b.c.d", prefix, gateway "a.b.c.d")
static napi_value js_create_sandbox(napi_env env, napi_callback_info info) {
  static const char usage[] = "createSandbox(netnsPath, hostVeth, bridge, mac, ip, prefix: number, gateway)";
  napi_value argv[7];
  if (!get_args(env, info, 7, argv, usage)) return NULL;
  char *str[6] = {0};
  const int which[6] = {0, 1, 2, 3, 4, 6};
  napi_value result = NULL;
  struct sandbox_spec spec = {0};
  int32_t prefix;
  for (int i = 0; i < 6; i++)
    if (!(str[i] = get_string(env, argv[which[i]], usage))) goto out;
  struct in_addr ip, gw;
  unsigned m[6];
  if (napi_get_value_int32(env, argv[5], &prefix) != napi_ok || prefix < 0 || prefix > 32 ||
      inet_pton(AF_INET, str[4], &ip) != 1 || inet_pton(AF_INET, str[5], &gw) != 1 ||
      sscanf(str[3], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6 ||
      strlen(str[1]) >= IFNAMSIZ || strlen(str[2]) >= IFNAMSIZ) {
    napi_throw_type_error(env, NULL, usage);
    goto out;
  }
  spec.netns_path = str[0];
  spec.host_veth = str[1];
  spec.bridge = str[2];
  for (int i = 0; i < 6; i++) spec.mac[i] = (uint8_t)m[i];
  spec.ip = ntohl(ip.s_addr);
  spec.prefix = prefix;
  spec.gateway = ntohl(gw.s_addr);
  struct strata_error err = {0};
  result = done(env, strata_create_sandbox(&spec, &err), &err);
out:
  for (int i = 0; i < 6; i++) free(str[i]);
  return result;
}

// createEmptySandbox(netnsPath): a bound namespace with `lo` up and nothing else
static int create_empty_sandbox(const char *netns_path, struct strata_error *err) {
  struct sandbox_spec spec = {.netns_path = netns_path};
  return strata_create_sandbox(&spec, err);
}

static napi_value js_create_empty_sandbox(napi_env env, napi_callback_info info) {
  return call_with_string(env, info, "createEmptySandbox(netnsPath: string)", create_empty_sandbox);
}

static bool int_property(napi_env env, napi_value obj, const char *name, int32_t value) {
  napi_value v;
  return napi_create_int32(env, value, &v) == napi_ok && napi_set_named_property(env, obj, name, v) == napi_ok;
}

// (path, args: string[]) as an execv argv: path, the args, NULL; NULL with an exception pending.
// Free it with free_argv(argv, *got).
static char **get_argv(napi_env env, napi_callback_info info, const char *usage, uint32_t *got) {
  napi_value argv[2];
  uint32_t n;
  *got = 0;
  if (!get_args(env, info, 2, argv, usage) || !array_length(env, argv[1], usage, &n)) return NULL;
  char **args = calloc(n + 2, sizeof *args);
  if (!args) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  if ((args[0] = get_string(env, argv[0], usage)) && get_strings(env, argv[1], n, args + 1, got, usage)) return args;
  free(args[0]);
  free_strings(args + 1, *got);
  free(args);
  return NULL;
}

static void free_argv(char **args, uint32_t got) {
  free(args[0]);
  free_strings(args + 1, got);
  free(args);
}

// spawnDetached(path, args: string[]) → { pid, statusFd, stderrFd }
static napi_value js_spawn_detached(napi_env env, napi_callback_info info) {
  uint32_t got;
  char **args = get_argv(env, info, "spawnDetached(path: string, args: string[])", &got);
  if (!args) return NULL;
  napi_value result = NULL;
  struct spawned child;
  struct strata_error err = {0};
  if (strata_spawn_detached(args[0], args, &child, &err) < 0) {
    throw_error(env, &err);
  } else if (napi_create_object(env, &result) != napi_ok || !int_property(env, result, "pid", child.pid) ||
             !int_property(env, result, "statusFd", child.status_fd) ||
             !int_property(env, result, "stderrFd", child.stderr_fd)) {
    // the pending exception says why; the child runs on, its pipes closed on it
    result = NULL;
    close(child.status_fd);
    if (child.stderr_fd >= 0) close(child.stderr_fd);
  }
  free_argv(args, got);
  return result;
}

// execReplace(path, args: string[]): never returns unless the exec failed
static napi_value js_exec_replace(napi_env env, napi_callback_info info) {
  uint32_t got;
  char **args = get_argv(env, info, "execReplace(path: string, args: string[])", &got);
  if (!args) return NULL;
  struct strata_error err = {0};
  strata_exec_replace(args[0], args, &err);
  throw_error(env, &err);
  free_argv(args, got);
  return NULL;
}

// reap(pid) → exit status once the child has exited, null while it runs
static napi_value js_reap(napi_env env, napi_callback_info info) {
  static const char usage[] = "reap(pid: number)";
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, usage)) return NULL;
  int32_t pid;
  if (napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  int status;
  struct strata_error err = {0};
  int rc = strata_reap(pid, &status, &err);
  if (rc < 0) return throw_error(env, &err);
  napi_value v;
  napi_status st = rc == 0 ? napi_get_null(env, &v) : napi_create_int32(env, status, &v);
  return st == napi_ok ? v : NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"flock", NULL, js_flock, NULL, NULL, NULL, napi_default, NULL},
      {"mountOverlay", NULL, js_mount_overlay, NULL, NULL, NULL, napi_default, NULL},
      {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
      {"umount", NULL, js_umount, NULL, NULL, NULL, napi_default, NULL},
      {"mknod", NULL, js_mknod, NULL, NULL, NULL, napi_default, NULL},
      {"lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_default, NULL},
      {"writeNewFile", NULL, js_write_new_file, NULL, NULL, NULL, napi_default, NULL},
      {"removeTree", NULL, js_remove_tree, NULL, NULL, NULL, napi_default, NULL},
      {"lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_default, NULL},
      {"llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_default, NULL},
      {"isMountPoint", NULL, js_is_mount_point, NULL, NULL, NULL, napi_default, NULL},
      {"createSandbox", NULL, js_create_sandbox, NULL, NULL, NULL, napi_default, NULL},
      {"createEmptySandbox", NULL, js_create_empty_sandbox, NULL, NULL, NULL, napi_default, NULL},
      {"deleteLink", NULL, js_delete_link, NULL, NULL, NULL, napi_default, NULL},
      {"attachDeviceFilter", NULL, js_attach_device_filter, NULL, NULL, NULL, napi_default, NULL},
      {"spawnDetached", NULL, js_spawn_detached, NULL, NULL, NULL, napi_default, NULL},
      {"execReplace", NULL, js_exec_replace, NULL, NULL, NULL, napi_default, NULL},
      {"reap", NULL, js_reap, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
