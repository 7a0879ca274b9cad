// Rootless networking through slirp4netns: started by the monitor for each run of the container,
// on the run's network namespace, bound to the monitor's life by its exit fd (closing our end
// ends it), told which host ports to forward through its API socket.
#include "slirp.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

// One API request and its answer: {"return": {...}} on success, {"error": {...}} otherwise.
static int api_call(const char *socket_path, const char *request, struct strata_error *err) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(err, errno, "socket for slirp4netns's API");
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path);
  int rc = -1;
  char reply[1024];
  ssize_t n = -1;
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) make_error(err, errno, "connect to slirp4netns's API %s", socket_path);
  else if (write_all(fd, request, strlen(request)) < 0 || shutdown(fd, SHUT_WR) < 0) make_error(err, errno, "send to slirp4netns's API");
  else if ((n = read_full(fd, reply, sizeof reply - 1)) < 0) make_error(err, errno, "read slirp4netns's answer");
  else {
    reply[n] = 0;
    if (strstr(reply, "\"return\"")) rc = 0;
    else make_error(err, 0, "slirp4netns refused %s: %s", request, reply);
  }
  close(fd);
  return rc;
}

// `slirp_port` entries: "PROTO HOSTIP HOSTPORT CONTAINERPORT".
static int add_forwards(const struct spec *s, struct strata_error *err) {
  for (size_t i = 0; i < s->slirp_ports.n; i++) {
    char proto[8], host_ip[64];
    unsigned host_port, guest_port;
    if (sscanf(s->slirp_ports.v[i], "%7s %63s %u %u", proto, host_ip, &host_port, &guest_port) != 4)
      return make_error(err, EINVAL, "slirp_port %s", s->slirp_ports.v[i]);
    char request[512];
    snprintf(request, sizeof request,
             "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", \"host_addr\": \"%s\", \"host_port\": %u, \"guest_port\": %u}}",
             proto, host_ip, host_port, guest_port);
    if (api_call(s->slirp_api, request, err) < 0) return -1;
  }
  return 0;
}

int slirp_start(const struct spec *s, pid_t pid, int *exit_fd, struct strata_error *err) {
  int exitp[2], readyp[2];
  if (pipe2(exitp, O_CLOEXEC) < 0) return make_error(err, errno, "pipe for slirp4netns");
  if (pipe2(readyp, O_CLOEXEC) < 0) {
    int e = errno;
    close(exitp[0]);
    close(exitp[1]);
    return make_error(err, e, "pipe for slirp4netns");
  }
  if (s->slirp_api) unlink(s->slirp_api); // left by the previous run's
  // the container process is not dumpable (ours until execve): slirp4netns could not open its
  // /proc/PID/ns/net itself, so it gets the namespace from us, as a path to an fd it inherits
  char ns_path[64];
  snprintf(ns_path, sizeof ns_path, "/proc/%d/ns/net", (int)pid);
  int netns = open(ns_path, O_RDONLY | O_CLOEXEC);
  pid_t child = netns < 0 ? -1 : fork();
  if (child < 0) {
    int e = errno;
    close(exitp[0]); close(exitp[1]); close(readyp[0]); close(readyp[1]);
    if (netns >= 0) close(netns);
    return make_error(err, e, netns < 0 ? "open the container's network namespace for slirp4netns" : "fork slirp4netns");
  }
  if (child == 0) {
    // fd 3: its exit fd, fd 4: its ready fd; nothing else of ours, and none of our blocked signals
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || dup2(exitp[0], 3) < 0 ||
        dup2(readyp[1], 4) < 0 || dup2(netns, 5) < 0)
      _exit(127);
    syscall(SYS_close_range, 6, ~0U, 0);
    char api[4200];
    snprintf(api, sizeof api, "--api-socket=%s", s->slirp_api ? s->slirp_api : "");
    char *argv[] = {"slirp4netns", "--configure", "--mtu=65520", "--disable-host-loopback", "--exit-fd=3", "--ready-fd=4",
                    "--netns-type=path", s->slirp_api ? api : "/proc/self/fd/5", s->slirp_api ? "/proc/self/fd/5" : "tap0",
                    s->slirp_api ? "tap0" : NULL, NULL};
    execv(s->slirp4netns, argv);
    _exit(127);
  }
  close(exitp[0]);
  close(readyp[1]);
  close(netns);
  char ready;
  ssize_t n;
  do n = read(readyp[0], &ready, 1); while (n < 0 && errno == EINTR);
  close(readyp[0]);
  if (n != 1) {
    close(exitp[1]);
    return make_error(err, 0, "slirp4netns (%s) exited before the network of container process %d was ready", s->slirp4netns, (int)pid);
  }
  *exit_fd = exitp[1];
  return add_forwards(s, err);
}
