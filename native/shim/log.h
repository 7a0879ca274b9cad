// docker's json-file log: one JSON object per line, lines split at 16 KiB, rotation.
#pragma once
#include <stdbool.h>

#include "util.h"

struct log_writer {
  int fd;
  char *path;
  long long max_size; // 0: never rotate
  int max_files;      // including the live file; 1: truncate in place
  long long size;
  bool tty;           // every chunk is a record (no line splitting)
  struct buf partial[3]; // per stream (1 stdout, 2 stderr): bytes after the last newline
};

int log_open(struct log_writer *l, const char *path, long long max_size, int max_files, bool tty, struct strata_error *err);
void log_data(struct log_writer *l, int stream, const char *data, size_t len);
void log_flush(struct log_writer *l);
void log_close(struct log_writer *l);
