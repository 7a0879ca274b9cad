// The health check: `strata-shim exec` of the check's spec at docker's intervals, its results
// kept as docker's State.Health (status, failing streak, last 5 results) in the health file.
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "monitor-spec.h"
#include "util.h"

#define HEALTH_LOG_MAX 5

struct health_result {
  char start[48], end[48];
  int exit_code;
  struct buf output;
};

struct health {
  const struct monitor_policy *m;
  bool enabled;
  char *run_spec;      // the check's spec with this run's target_pid
  long long run_started_ms, next_ms, deadline_ms;
  pid_t pid;           // the running check, 0 when none
  int out_fd;          // its stdout+stderr
  struct health_result current;
  struct health_result log[HEALTH_LOG_MAX];
  int nlog;
  int failing_streak;
  const char *status;  // "starting", "healthy", "unhealthy"
};

void health_init(struct health *h, const struct monitor_policy *m);
// A run of the container began (again): status starting, first check after the interval.
void health_start(struct health *h, pid_t container_pid, long long now_ms);
// Milliseconds until health_tick has something to do, -1 for never.
int health_timeout(const struct health *h, long long now_ms);
// Starts a due check, ends one past its timeout.
void health_tick(struct health *h, long long now_ms);
int health_fd(const struct health *h);
void health_read(struct health *h);
// Whether pid was the check; then records its result.
bool health_reaped(struct health *h, pid_t pid, int wstatus);
// The container exited: any check running is killed, no more start.
void health_stop(struct health *h);
void health_free(struct health *h);
