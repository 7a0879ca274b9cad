// Filling a strata_error (error.h).
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int vmake_error(struct strata_error *err, int errnum, const char *syscall, const char *fmt, va_list ap) {
  int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  if (n < 0) n = snprintf(err->msg, sizeof err->msg, "%s", syscall ? syscall : "error");
  if (errnum && n >= 0 && (size_t)n < sizeof err->msg)
    snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(errnum));
  err->errnum = errnum;
  err->syscall = syscall;
  if (!err->code) err->code = 125;
  return -1;
}

int make_error(struct strata_error *err, int errnum, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmake_error(err, errnum, NULL, fmt, ap);
  va_end(ap);
  return -1;
}

int make_syscall_error(struct strata_error *err, int errnum, const char *syscall, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmake_error(err, errnum, syscall, fmt, ap);
  va_end(ap);
  return -1;
}
