// The attach socket: framed stdin/stdout/stderr/resize/close-stdin/exit (CONTRACT.md).
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum frame_type {
  FRAME_STDIN = 0,
  FRAME_STDOUT = 1,
  FRAME_STDERR = 2,
  FRAME_RESIZE = 3,
  FRAME_CLOSE_STDIN = 4,
  FRAME_EXIT = 5,
};

struct attach_client {
  int fd;
  struct buf in, out;
};

struct attach {
  int listen_fd;
  char *path;
  struct attach_client *clients;
  size_t n;
};

typedef void (*frame_handler)(void *ctx, int type, const char *payload, size_t len);

int attach_listen(struct attach *a, const char *path, struct strata_error *err);
// Accepts every pending connection; returns how many.
int attach_accept(struct attach *a);
void attach_broadcast(struct attach *a, int type, const void *data, size_t len);
// Reads what client i sent and hands over complete frames; -1: drop the client.
int attach_read(struct attach *a, size_t i, frame_handler on_frame, void *ctx);
// Writes what is queued for client i; -1: drop the client.
int attach_flush(struct attach *a, size_t i);
void attach_drop(struct attach *a, size_t i);
// Sends the exit frame to everyone (including late connections), waits briefly for it to go out.
void attach_finish(struct attach *a, int exit_code);
void attach_close(struct attach *a);
