// The restart policy (docker's restart manager): no, always, unless-stopped, on-failure[:N];
// back-off from 100 ms doubling to 1 min, back to 100 ms after a run of 10 s or more.
#include "restart.h"

#include <stdio.h>
#include <unistd.h>

#include "util.h"

#define FIRST_DELAY_MS 100
#define MAX_DELAY_MS 60000
#define RESET_AFTER_MS 10000

bool restart_stopped_by_user(const struct monitor_policy *m) {
  return m->stop_file && access(m->stop_file, F_OK) == 0;
}

bool restart_due(const struct monitor_policy *m, struct restarter *r, int code, long long ran_ms, long long *delay_ms) {
  switch (m->restart) {
  case RESTART_NO:
    return false;
  case RESTART_ON_FAILURE:
    if (code == 0 || (m->restart_max > 0 && r->count >= m->restart_max)) return false;
    break;
  default:
    break;
  }
  if (restart_stopped_by_user(m)) return false;
  long long first = m->restart_delay_ms ? m->restart_delay_ms : FIRST_DELAY_MS;
  long long longest = m->restart_max_delay_ms ? m->restart_max_delay_ms : MAX_DELAY_MS;
  if (ran_ms >= RESET_AFTER_MS) r->delay_ms = 0;
  r->delay_ms = r->delay_ms == 0 ? first : r->delay_ms * 2;
  if (r->delay_ms > longest) r->delay_ms = longest;
  *delay_ms = r->delay_ms;
  return true;
}

void restart_file_write(const struct monitor_policy *m, const struct restarter *r, bool restarting) {
  if (!m->restart_file) return;
  char line[96];
  int len = snprintf(line, sizeof line, "{\"restartCount\":%d,\"restarting\":%s}\n", r->count, restarting ? "true" : "false");
  struct strata_error err = {0};
  write_file_atomic(m->restart_file, line, len, &err); // the engine reads on; a missed write shows the last state
}
