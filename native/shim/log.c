// docker's json-file log writer: records per line (16 KiB at most), partial lines kept, rotation.
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_LINE_MAX (16 * 1024)

int log_open(struct log_writer *l, const char *path, long long max_size, int max_files, bool tty, struct strata_error *err) {
  memset(l, 0, sizeof *l);
  l->fd = -1;
  if (!path) return 0;
  l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (l->fd < 0) return make_error(err, errno, "open log %s", path);
  struct stat st;
  if (fstat(l->fd, &st) < 0) {
    int e = errno;
    close(l->fd);
    l->fd = -1;
    return make_error(err, e, "stat log %s", path);
  }
  if (!(l->path = strdup(path))) {
    close(l->fd);
    l->fd = -1;
    return make_error(err, ENOMEM, "log %s", path);
  }
  l->size = st.st_size;
  l->max_size = max_size;
  l->max_files = max_files < 1 ? 1 : max_files;
  l->tty = tty;
  return 0;
}

// docker's rotation: log.(n-1) dropped, log.i → log.(i+1), log → log.1; one file: truncate.
static void rotate(struct log_writer *l) {
  if (l->max_files <= 1) {
    if (ftruncate(l->fd, 0) == 0) l->size = 0;
    return;
  }
  size_t len = strlen(l->path) + 16;
  char *from = malloc(len), *to = malloc(len);
  if (!from || !to) goto out;
  for (int i = l->max_files - 1; i > 1; i--) {
    snprintf(from, len, "%s.%d", l->path, i - 1);
    snprintf(to, len, "%s.%d", l->path, i);
    if (rename(from, to) < 0 && errno != ENOENT) goto out;
  }
  snprintf(to, len, "%s.1", l->path);
  if (rename(l->path, to) < 0) goto out;
  int fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd >= 0) {
    close(l->fd);
    l->fd = fd;
    l->size = 0;
  }
out:
  free(from);
  free(to);
}

static void write_record(struct log_writer *l, int stream, const char *data, size_t len) {
  struct buf rec = {0};
  struct timespec ts;
  char when[48];
  clock_gettime(CLOCK_REALTIME, &ts);
  format_rfc3339nano(&ts, when);
  if (buf_append(&rec, "{\"log\":\"", 8) < 0 || json_escape(&rec, data, len) < 0 ||
      buf_printf(&rec, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n", stream == 2 ? "stderr" : "stdout", when) < 0) {
    buf_free(&rec);
    return;
  }
  if (l->max_size > 0 && l->size > 0 && l->size + (long long)rec.len > l->max_size) rotate(l);
  // a full disk loses log lines, never the container
  if (write_all(l->fd, rec.data, rec.len) == 0) l->size += rec.len;
  buf_free(&rec);
}

void log_data(struct log_writer *l, int stream, const char *data, size_t len) {
  if (l->fd < 0 || len == 0) return;
  if (stream != 2) stream = 1;
  if (l->tty) {
    for (size_t off = 0; off < len; off += LOG_LINE_MAX)
      write_record(l, stream, data + off, len - off < LOG_LINE_MAX ? len - off : LOG_LINE_MAX);
    return;
  }
  struct buf *p = &l->partial[stream];
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t)(nl - data) + 1 : len;
    if (p->len + take > LOG_LINE_MAX) take = LOG_LINE_MAX - p->len;
    if (p->len == 0 && take == (nl ? (size_t)(nl - data) + 1 : (size_t)-1)) {
      write_record(l, stream, data, take); // a whole line: no copy
    } else {
      if (buf_append(p, data, take) < 0) return;
      if (p->len == LOG_LINE_MAX || p->data[p->len - 1] == '\n') {
        write_record(l, stream, p->data, p->len);
        p->len = 0;
      }
    }
    data += take;
    len -= take;
  }
}

void log_flush(struct log_writer *l) {
  for (int s = 1; s <= 2; s++)
    if (l->partial[s].len) {
      write_record(l, s, l->partial[s].data, l->partial[s].len);
      l->partial[s].len = 0;
    }
}

void log_close(struct log_writer *l) {
  log_flush(l);
  if (l->fd >= 0) close(l->fd);
  l->fd = -1;
  for (int s = 0; s < 3; s++) buf_free(&l->partial[s]);
  free(l->path);
  l->path = NULL;
}
