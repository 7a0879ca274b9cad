// The restart policy (docker's restart manager): no, always, unless-stopped, on-failure[:N];
// back-off from 100 ms doubling to 1 min, back to 100 ms after a run of 10 s or more.
#include "restart.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define FIRST_DELAY_MS 100
#define MAX_DELAY_MS 60000
#define RESET_AFTER_MS 10000

bool restart_stopped_by_user(const struct monitor_policy *m) {
  return m->stop_file && access(m->stop_file, F_OK) == 0;
}

// `update --restart` of a running container: the engine's file, when there, is the policy now.
// A file that cannot be read or parsed leaves the policy as it was (the engine writes it atomically).
static void restart_policy_reload(struct monitor_policy *m) {
  if (!m->restart_policy_file) return;
  int fd = open(m->restart_policy_file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char text[64];
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return;
  text[n] = '\0';
  char name[32], max[16];
  if (sscanf(text, "%31s %15s", name, max) != 2) return;
  struct monitor_policy parsed = *m;
  if (monitor_spec_entry(&parsed, "restart", name) < 0 || monitor_spec_entry(&parsed, "restart_max", max) < 0) return;
  m->restart = parsed.restart;
  m->restart_max = parsed.restart_max;
}

bool restart_due(struct monitor_policy *m, struct restarter *r, int code, long long ran_ms, long long *delay_ms) {
  restart_policy_reload(m);
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
