// The one error type of native/: what failed, its errno and what was being done, filled where
// the call failed and handed up with `return -1` (as crun's libcrun_error_t). The addon turns it
// into a JS exception; strata-shim prints it, writes it to the exit file and the status pipe.
#pragma once

struct strata_error {
  int errnum;          // errno of the failure; 0 when there is none (a refused spec, say)
  int code;            // the shim's exit code for it: docker's 125, or 126/127 set by exec
  const char *syscall; // the call that failed, for the addon's JS errors; NULL when unnamed
  char msg[4608];      // what was being done, then ": <strerror(errnum)>" when errnum is set
};

// Fills err (msg from fmt, printf-style; code 125 unless already set) and returns -1, for
// `return make_error(err, errno, "open %s", path)`.
int make_error(struct strata_error *err, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
// The same, naming the system call that failed.
int make_syscall_error(struct strata_error *err, int errnum, const char *syscall, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
