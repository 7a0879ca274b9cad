// strata-rootless: puts an unprivileged user's strata into the user's own user and mount
// namespaces, podman's way. `strata-rootless enter STATE_DIR PROGRAM ARG...` joins the
// namespaces held by the pause process named in STATE_DIR/pause.pid, making them first when
// there is none (a new user namespace with the user's subordinate ids mapped by newuidmap and
// newgidmap, container root = the user, then a mount namespace of its own), and execs PROGRAM
// in them as root of that namespace with STRATA_ROOTLESS_UID/GID set to the user's ids.
// Every strata process of the user thus sees the same mounts, and ids in layers and volumes
// are the same from one run to the next.
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

#define PAUSE_NAME "strata-pause"

static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static ssize_t read_full(int fd, void *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

// 0 joined; 1 no pause process to join (none, or a stale pid file); -1 failed.
static int try_join(const char *state_dir, struct strata_error *err) {
  char path[4096], buf[64];
  snprintf(path, sizeof path, "%s/pause.pid", state_dir);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? 1 : make_error(err, errno, "open %s", path);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 1;
  buf[n] = 0;
  int pid = atoi(buf);
  if (pid <= 0) return 1;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) return errno == ESRCH ? 1 : make_error(err, errno, "pidfd_open %d", pid);
  // the pid may have been reused since: it must still be our pause process (checked after the
  // pidfd is open, so the process it names is the one checked)
  char comm_path[64], comm[32] = "";
  snprintf(comm_path, sizeof comm_path, "/proc/%d/comm", pid);
  int cfd = open(comm_path, O_RDONLY | O_CLOEXEC);
  if (cfd >= 0) {
    ssize_t c = read(cfd, comm, sizeof comm - 1);
    comm[c > 0 ? c : 0] = 0;
    close(cfd);
  }
  if (strcmp(comm, PAUSE_NAME "\n")) {
    close(pidfd);
    return 1;
  }
  int rc = 0;
  if (setns(pidfd, CLONE_NEWUSER | CLONE_NEWNS) < 0) {
    // a pause process of another user that reused the pid is not ours to join
    rc = errno == EPERM ? 1 : make_error(err, errno, "join the namespaces of pause process %d", pid);
  }
  close(pidfd);
  return rc;
}

struct range { unsigned long start, count; };

// The user's ranges in /etc/subuid or /etc/subgid (lines NAME:START:COUNT or UID:START:COUNT).
static size_t subordinate_ranges(const char *file, const char *name, unsigned id, struct range *out, size_t cap) {
  FILE *f = fopen(file, "re");
  if (!f) return 0;
  char line[512], idstr[16];
  snprintf(idstr, sizeof idstr, "%u", id);
  size_t n = 0;
  while (n < cap && fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (!colon) continue;
    *colon = 0;
    if (strcmp(line, idstr) && (!name || strcmp(line, name))) continue;
    unsigned long start, count;
    if (sscanf(colon + 1, "%lu:%lu", &start, &count) == 2 && count > 0) out[n++] = (struct range){start, count};
  }
  fclose(f);
  return n;
}

static int run_map_tool(const char *tool, pid_t pid, unsigned id, const struct range *r, size_t n, struct strata_error *err) {
  char args[20][24];
  char *argv[24];
  size_t a = 0;
  argv[a++] = (char *)tool;
  snprintf(args[0], sizeof args[0], "%d", (int)pid);
  argv[a++] = args[0];
  snprintf(args[1], sizeof args[1], "0");
  snprintf(args[2], sizeof args[2], "%u", id);
  snprintf(args[3], sizeof args[3], "1");
  argv[a++] = args[1];
  argv[a++] = args[2];
  argv[a++] = args[3];
  unsigned long inside = 1;
  for (size_t i = 0; i < n && i < 5; i++) {
    snprintf(args[4 + 3 * i], sizeof args[0], "%lu", inside);
    snprintf(args[5 + 3 * i], sizeof args[0], "%lu", r[i].start);
    snprintf(args[6 + 3 * i], sizeof args[0], "%lu", r[i].count);
    argv[a++] = args[4 + 3 * i];
    argv[a++] = args[5 + 3 * i];
    argv[a++] = args[6 + 3 * i];
    inside += r[i].count;
  }
  argv[a] = NULL;
  pid_t child = fork();
  if (child < 0) return make_error(err, errno, "fork for %s", tool);
  if (child == 0) {
    execvp(tool, argv);
    fprintf(stderr, "strata-rootless: cannot run %s: %s (install the uidmap package)\n", tool, strerror(errno));
    _exit(127);
  }
  int st;
  while (waitpid(child, &st, 0) < 0)
    if (errno != EINTR) return make_error(err, errno, "wait for %s", tool);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return make_error(err, 0, "%s %d failed (exit %d): check the ranges of this user in /etc/sub%cid", tool, (int)pid,
                      WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), tool[3] == 'u' ? 'u' : 'g');
  return 0;
}

static int write_proc(pid_t pid, const char *file, const char *text, struct strata_error *err) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open %s", path);
  int rc = write_all(fd, text, strlen(text)) < 0 ? make_error(err, errno, "write %s", path) : 0;
  close(fd);
  return rc;
}

// Without subordinate ids only the user's own ids can be mapped (written directly, as podman
// does then): container root is the user, and no other id exists inside.
static int write_maps(pid_t pid, uid_t uid, gid_t gid, struct strata_error *err) {
  struct passwd *pw = getpwuid(uid);
  const char *name = pw ? pw->pw_name : NULL;
  struct range ur[5], gr[5];
  size_t nu = subordinate_ranges("/etc/subuid", name, uid, ur, 5);
  size_t ng = subordinate_ranges("/etc/subgid", name, uid, gr, 5);
  if (nu > 0 && ng > 0) {
    if (run_map_tool("newuidmap", pid, uid, ur, nu, err) < 0) return -1;
    return run_map_tool("newgidmap", pid, gid, gr, ng, err);
  }
  char map[64];
  snprintf(map, sizeof map, "0 %u 1\n", (unsigned)uid);
  if (write_proc(pid, "uid_map", map, err) < 0) return -1;
  if (write_proc(pid, "setgroups", "deny", err) < 0) return -1;
  snprintf(map, sizeof map, "0 %u 1\n", (unsigned)gid);
  return write_proc(pid, "gid_map", map, err);
}

// The pause process: made in a new user namespace, it waits for its maps, becomes root there,
// makes a mount namespace, writes the pid file and then only holds the namespaces.
static void pause_process(const char *state_dir, int to_parent, int from_parent) {
  int e = 0;
  pid_t self = getpid();
  prctl(PR_SET_NAME, PAUSE_NAME, 0, 0, 0); // before the pid file names it: try_join checks the name
  if (unshare(CLONE_NEWUSER) < 0) e = errno;
  if (write_all(to_parent, &self, sizeof self) < 0 || write_all(to_parent, &e, sizeof e) < 0 || e) _exit(1);
  char go;
  if (read_full(from_parent, &go, 1) != 1) _exit(1); // the parent failed to map us
  const char *what = "setresgid 0";
  if (setresgid(0, 0, 0) < 0 || (what = "setresuid 0", setresuid(0, 0, 0) < 0) ||
      (what = "unshare the mount namespace", unshare(CLONE_NEWNS) < 0))
    e = errno;
  char path[4096], tmp[4200], pidtext[32];
  if (!e) {
    what = "write the pid file";
    snprintf(path, sizeof path, "%s/pause.pid", state_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)self);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write_all(fd, pidtext, strlen(pidtext)) < 0 || close(fd) < 0 || rename(tmp, path) < 0) e = errno;
  }
  size_t len = strlen(what);
  if (write_all(to_parent, &e, sizeof e) < 0 || write_all(to_parent, &len, sizeof len) < 0 || write_all(to_parent, what, len) < 0 || e)
    _exit(1);
  setsid();
  if (chdir("/") < 0) _exit(1);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3 && null >= 0; fd++) dup2(null, fd);
  syscall(SYS_close_range, 3, ~0U, 0);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  for (;;) pause(); // SIGTERM or SIGKILL ends it
}

static int make_pause(const char *state_dir, uid_t uid, gid_t gid, struct strata_error *err) {
  int up[2], down[2];
  if (pipe2(up, O_CLOEXEC) < 0) return make_error(err, errno, "pipe for the pause process");
  if (pipe2(down, O_CLOEXEC) < 0) {
    int e = errno;
    close(up[0]);
    close(up[1]);
    return make_error(err, e, "pipe for the pause process");
  }
  pid_t middle = fork();
  if (middle < 0) {
    int e = errno;
    close(up[0]); close(up[1]); close(down[0]); close(down[1]);
    return make_error(err, e, "fork the pause process");
  }
  if (middle == 0) { // double fork: the pause process is never a child of the strata process
    close(up[0]);
    close(down[1]);
    pid_t p = fork();
    if (p == 0) pause_process(state_dir, up[1], down[0]);
    _exit(p < 0 ? 1 : 0);
  }
  close(up[1]);
  close(down[0]);
  int st, rc = -1;
  while (waitpid(middle, &st, 0) < 0 && errno == EINTR) {}
  pid_t pid;
  int e;
  if (read_full(up[0], &pid, sizeof pid) != sizeof pid || read_full(up[0], &e, sizeof e) != sizeof e) {
    make_error(err, EIO, "the pause process died before its user namespace was made");
  } else if (e) {
    make_error(err, e, "unshare a user namespace (does this kernel allow unprivileged user namespaces?)");
  } else if (write_maps(pid, uid, gid, err) == 0 && write_all(down[1], "g", 1) == 0) {
    size_t len = 0;
    char what[128] = "";
    if (read_full(up[0], &e, sizeof e) != sizeof e || read_full(up[0], &len, sizeof len) != sizeof len ||
        len >= sizeof what || read_full(up[0], what, len) != (ssize_t)len)
      make_error(err, EIO, "the pause process died while setting up");
    else if (e)
      make_error(err, e, "pause process: %s", what);
    else
      rc = 0;
  }
  if (rc < 0) kill(pid, SIGKILL);
  close(up[0]);
  close(down[1]);
  return rc;
}

static int enter(const char *state_dir, struct strata_error *err) {
  int rc = try_join(state_dir, err);
  if (rc <= 0) return rc;
  char lock_path[4096];
  snprintf(lock_path, sizeof lock_path, "%s/pause.lock", state_dir);
  int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return make_error(err, errno, "open %s", lock_path);
  while (flock(lock, LOCK_EX) < 0)
    if (errno != EINTR) {
      int e = errno;
      close(lock);
      return make_error(err, e, "lock %s", lock_path);
    }
  // another strata process may have made it while we waited
  if ((rc = try_join(state_dir, err)) == 1 && (rc = make_pause(state_dir, getuid(), getgid(), err)) == 0) {
    rc = try_join(state_dir, err);
    if (rc == 1) rc = make_error(err, ESRCH, "the new pause process in %s cannot be joined", state_dir);
  }
  close(lock);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[1], "enter")) {
    fprintf(stderr, "usage: strata-rootless enter STATE_DIR PROGRAM [ARG...]\n");
    return 125;
  }
  uid_t uid = getuid();
  gid_t gid = getgid();
  struct strata_error err = {0};
  // joining a mount namespace moves us to its root: the command goes on in the same directory
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
  if (uid == 0) make_error(&err, EINVAL, "strata-rootless is for unprivileged users");
  else if (enter(argv[2], &err) == 0 && chdir(cwd) < 0) make_error(&err, errno, "chdir %s in the user's mount namespace", cwd);
  else if (!err.msg[0]) {
    char id[16];
    snprintf(id, sizeof id, "%u", (unsigned)uid);
    setenv("STRATA_ROOTLESS_UID", id, 1);
    snprintf(id, sizeof id, "%u", (unsigned)gid);
    setenv("STRATA_ROOTLESS_GID", id, 1);
    if (setresgid(0, 0, 0) < 0) make_error(&err, errno, "setresgid 0 in the user namespace");
    else if (setresuid(0, 0, 0) < 0) make_error(&err, errno, "setresuid 0 in the user namespace");
    else {
      execvp(argv[3], argv + 3);
      make_error(&err, errno, "exec %s", argv[3]);
    }
  }
  fprintf(stderr, "strata: rootless: %s\n", err.msg);
  return 125;
}
