// The attach socket of `strata-shim run`: listening, clients, and frames both ways (attach.h).
#include "attach.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

// A client that does not read for this long is dropped rather than holding the container up.
#define CLIENT_BUFFER_MAX (8 * 1024 * 1024)
#define FRAME_MAX (1024 * 1024)

int attach_listen(struct attach *a, const char *path, struct strata_error *err) {
  memset(a, 0, sizeof *a);
  a->listen_fd = -1;
  if (!path) return 0;
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) return make_error(err, ENAMETOOLONG, "attach socket %s", path);
  strcpy(addr.sun_path, path);
  a->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (a->listen_fd < 0) return make_error(err, errno, "socket for %s", path);
  if (unlink(path) < 0 && errno != ENOENT) {
    int e = errno;
    attach_close(a);
    return make_error(err, e, "remove stale %s", path);
  }
  mode_t old = umask(0177);
  int rc = bind(a->listen_fd, (struct sockaddr *)&addr, sizeof addr);
  int e = errno;
  umask(old);
  if (rc < 0) {
    attach_close(a);
    return make_error(err, e, "bind %s", path);
  }
  if (!(a->path = strdup(path))) {
    attach_close(a);
    return make_error(err, ENOMEM, "attach socket %s", path);
  }
  if (listen(a->listen_fd, 64) < 0) {
    e = errno;
    attach_close(a);
    return make_error(err, e, "listen on %s", path);
  }
  return 0;
}

int attach_accept(struct attach *a) {
  int count = 0;
  if (a->listen_fd < 0) return 0;
  for (;;) {
    int fd = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;
    }
    struct attach_client *c = realloc(a->clients, (a->n + 1) * sizeof *c);
    if (!c) {
      close(fd);
      break;
    }
    a->clients = c;
    memset(&c[a->n], 0, sizeof c[a->n]);
    c[a->n++].fd = fd;
    count++;
  }
  return count;
}

static void queue_frame(struct attach_client *c, int type, const void *data, size_t len) {
  unsigned char hdr[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len};
  if (buf_append(&c->out, hdr, sizeof hdr) < 0 || buf_append(&c->out, data, len) < 0) c->out.len = CLIENT_BUFFER_MAX + 1;
}

void attach_broadcast(struct attach *a, int type, const void *data, size_t len) {
  for (size_t i = 0; i < a->n;) {
    queue_frame(&a->clients[i], type, data, len);
    if (attach_flush(a, i) < 0) attach_drop(a, i);
    else i++;
  }
}

int attach_flush(struct attach *a, size_t i) {
  struct attach_client *c = &a->clients[i];
  if (c->out.len > CLIENT_BUFFER_MAX) return -1;
  while (c->out.len > 0) {
    ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return 0;
      return -1;
    }
    buf_consume(&c->out, n);
  }
  return 0;
}

int attach_read(struct attach *a, size_t i, frame_handler on_frame, void *ctx) {
  struct attach_client *c = &a->clients[i];
  char chunk[65536];
  ssize_t n = recv(c->fd, chunk, sizeof chunk, MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : -1;
  if (n == 0) return -1;
  if (buf_append(&c->in, chunk, n) < 0) return -1;
  while (c->in.len >= 5) {
    const unsigned char *h = (const unsigned char *)c->in.data;
    size_t len = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
    if (len > FRAME_MAX || h[0] > FRAME_EXIT) return -1;
    if (c->in.len < 5 + len) break;
    on_frame(ctx, h[0], c->in.data + 5, len);
    // the handler may not touch the client list, so c is still valid here
    buf_consume(&c->in, 5 + len);
  }
  return 0;
}

void attach_drop(struct attach *a, size_t i) {
  struct attach_client *c = &a->clients[i];
  close(c->fd);
  buf_free(&c->in);
  buf_free(&c->out);
  a->clients[i] = a->clients[--a->n];
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void attach_finish(struct attach *a, int exit_code) {
  char code[16];
  int len = snprintf(code, sizeof code, "%d", exit_code);
  attach_accept(a);
  attach_broadcast(a, FRAME_EXIT, code, len);
  long long deadline = now_ms() + 2000;
  while (a->n > 0) {
    for (size_t i = 0; i < a->n;) {
      if (attach_flush(a, i) < 0 || a->clients[i].out.len == 0) attach_drop(a, i);
      else i++;
    }
    long long left = deadline - now_ms();
    if (a->n == 0 || left <= 0) break;
    struct pollfd p[64];
    size_t np = a->n < 64 ? a->n : 64;
    for (size_t i = 0; i < np; i++) p[i] = (struct pollfd){.fd = a->clients[i].fd, .events = POLLOUT};
    poll(p, np, (int)left);
  }
  while (a->n > 0) attach_drop(a, 0);
}

void attach_close(struct attach *a) {
  while (a->n > 0) attach_drop(a, 0);
  free(a->clients);
  a->clients = NULL;
  if (a->listen_fd >= 0) close(a->listen_fd);
  a->listen_fd = -1;
  if (a->path) unlink(a->path);
  free(a->path);
  a->path = NULL;
}
