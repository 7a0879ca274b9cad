// Helpers of the shim: growable buffers, whole-buffer and whole-file I/O, RFC 3339 times, JSON strings, status lines.
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int buf_append(struct buf *b, const void *data, size_t len) {
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + len + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
  }
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = 0;
  return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return -1;
  if ((size_t)n < sizeof small) return buf_append(b, small, n);
  char *big = malloc(n + 1);
  if (!big) return -1;
  va_start(ap, fmt);
  vsnprintf(big, n + 1, fmt, ap);
  va_end(ap);
  int rc = buf_append(b, big, n);
  free(big);
  return rc;
}

void buf_consume(struct buf *b, size_t len) {
  if (len >= b->len) {
    b->len = 0;
  } else {
    memmove(b->data, b->data + len, b->len - len);
    b->len -= len;
  }
  if (b->data) b->data[b->len] = 0;
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= n;
  }
  return 0;
}

ssize_t read_full(int fd, void *data, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)data + got, len - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    got += n;
  }
  return got;
}

int read_file(const char *path, struct buf *out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char chunk[4096];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    if (n == 0) break;
    if (buf_append(out, chunk, n) < 0) {
      close(fd);
      errno = ENOMEM;
      return -1;
    }
  }
  close(fd);
  return 0;
}

int write_file(const char *path, const char *data, size_t len, struct strata_error *err) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return make_error(err, errno, "open %s", path);
  if (write_all(fd, data, len) < 0) {
    int e = errno;
    close(fd);
    return make_error(err, e, "write %s", path);
  }
  if (close(fd) < 0) return make_error(err, errno, "close %s", path);
  return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len, struct strata_error *err) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid()) >= (int)sizeof tmp)
    return make_error(err, ENAMETOOLONG, "write %s", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(err, errno, "create %s", tmp);
  if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
    int e = errno;
    close(fd);
    unlink(tmp);
    return make_error(err, e, "write %s", tmp);
  }
  if (close(fd) < 0) {
    int e = errno;
    unlink(tmp);
    return make_error(err, e, "close %s", tmp);
  }
  if (rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    return make_error(err, e, "rename %s to %s", tmp, path);
  }
  return 0;
}

int set_nonblock(int fd, bool on) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -1;
  return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

void format_rfc3339nano(const struct timespec *ts, char out[48]) {
  struct tm tm;
  gmtime_r(&ts->tv_sec, &tm);
  size_t n = strftime(out, 48, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, 48 - n, ".%09ldZ", ts->tv_nsec);
}

// Length of the valid UTF-8 sequence at s (1–4), or 0 when it is not valid.
static size_t utf8_valid(const unsigned char *s, size_t len) {
  unsigned char c = s[0];
  size_t need;
  unsigned min;
  unsigned cp;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) need = 2, min = 0x80, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) need = 3, min = 0x800, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) need = 4, min = 0x10000, cp = c & 0x07;
  else return 0;
  if (len < need) return 0;
  for (size_t i = 1; i < need; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need;
}

int json_escape(struct buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    size_t run = i;
    // copy the longest run that needs no escaping in one go
    while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
    if (run > i && buf_append(b, p + i, run - i) < 0) return -1;
    i = run;
    if (i >= len) break;
    unsigned char c = p[i];
    char esc[8];
    int rc;
    if (c == '"') rc = buf_append(b, "\\\"", 2);
    else if (c == '\\') rc = buf_append(b, "\\\\", 2);
    else if (c == '\n') rc = buf_append(b, "\\n", 2);
    else if (c == '\r') rc = buf_append(b, "\\r", 2);
    else if (c == '\t') rc = buf_append(b, "\\t", 2);
    else if (c == '\b') rc = buf_append(b, "\\b", 2);
    else if (c == '\f') rc = buf_append(b, "\\f", 2);
    else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      rc = buf_append(b, esc, 6);
    } else {
      size_t n = utf8_valid(p + i, len - i);
      if (n == 0) {
        rc = buf_append(b, "\\ufffd", 6);
        n = 1;
      } else {
        rc = buf_append(b, p + i, n);
      }
      i += n;
      if (rc < 0) return -1;
      continue;
    }
    if (rc < 0) return -1;
    i++;
  }
  return 0;
}

static int status_fd = -1;

void status_init(void) {
  if (fcntl(3, F_GETFD) >= 0) {
    status_fd = 3;
    fcntl(3, F_SETFD, FD_CLOEXEC);
  }
}

int status_pollfd(void) { return status_fd; }

void status_line(const char *fmt, ...) {
  if (status_fd < 0) return;
  char line[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof line - 2) n = sizeof line - 2;
  // a message must stay on one line
  for (int i = 0; i < n; i++)
    if (line[i] == '\n') line[i] = ' ';
  line[n++] = '\n';
  if (write_all(status_fd, line, n) < 0) {
    close(status_fd);
    status_fd = -1;
  }
}

// enough to outlast a burst of renames (each retry is a fresh lookup), bounded so that a system
// that never stops renaming fails with EAGAIN instead of spinning forever
#define OPENAT2_TRIES 64

int openat2_retrying(int dirfd, const char *path, const struct open_how *how) {
  int fd = -1;
  for (int i = 0; i < OPENAT2_TRIES; i++) {
    fd = syscall(SYS_openat2, dirfd, path, how, sizeof *how);
    if (fd >= 0 || errno != EAGAIN) break;
    if (i >= 8) sched_yield(); // let the renaming side finish before looking again
  }
  return fd;
}
