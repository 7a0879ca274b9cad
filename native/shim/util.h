// Helpers shared by the shim's C files: whole-buffer I/O,
// growable buffers, atomic files, timestamps and JSON strings.
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"

struct buf {
  char *data;
  size_t len, cap;
};

int buf_append(struct buf *b, const void *data, size_t len);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_consume(struct buf *b, size_t len);
void buf_free(struct buf *b);

int write_all(int fd, const void *data, size_t len);
ssize_t read_full(int fd, void *data, size_t len);
int read_file(const char *path, struct buf *out);
int write_file(const char *path, const char *data, size_t len, struct strata_error *err);
int write_file_atomic(const char *path, const char *data, size_t len, struct strata_error *err);
int set_nonblock(int fd, bool on);

struct open_how;
// openat2(2), retried a bounded number of times while it answers EAGAIN: with RESOLVE_IN_ROOT
// (and the other scoped lookups) the kernel gives up when any rename or mount on the system
// races a "..", which under load fails a start spuriously. Returns the fd, or -1 with errno.
int openat2_retrying(int dirfd, const char *path, const struct open_how *how);

void format_rfc3339nano(const struct timespec *ts, char out[48]);
// Appends s as the inside of a JSON string; invalid UTF-8 bytes become U+FFFD.
int json_escape(struct buf *b, const char *s, size_t len);

// Status lines for the engine on fd 3; silently dropped once the engine has gone.
void status_init(void);
// The status pipe, -1 without one: polled, it reports POLLERR once the engine reading it has gone.
int status_pollfd(void);
void status_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
