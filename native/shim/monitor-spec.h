// What the monitor does beyond one run: the restart policy and the health check (spec keys in CONTRACT.md).
#pragma once
#include <stdbool.h>

enum restart_policy { RESTART_NO = 0, RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_UNLESS_STOPPED };

struct monitor_policy {
  enum restart_policy restart;
  int restart_max;     // on-failure: at most this many restarts (0: no limit)
  long long restart_delay_ms, restart_max_delay_ms; // back-off: first and longest (0: docker's 100 ms, 1 min)
  char *restart_file;  // JSON the monitor keeps: restart count, whether it waits to restart
  char *stop_file;     // present when the user stopped or killed the container: no restart
  char *restart_policy_file; // `update --restart`: "NAME MAX", read at each exit, replaces restart/restart_max
  char *health_spec;   // exec spec of the check, without target_pid (the monitor adds it)
  char *health_file;   // JSON the monitor keeps: status, failing streak, last 5 results
  long long health_interval_ms, health_timeout_ms, health_start_period_ms, health_start_interval_ms;
  int health_retries;
};

// 0: taken, -1: bad value, -2: not a monitor key.
int monitor_spec_entry(struct monitor_policy *m, const char *key, const char *v);
void monitor_spec_free(struct monitor_policy *m);
