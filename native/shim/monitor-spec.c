// Parses the spec keys of the restart policy and the health check.
#include "monitor-spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int set_str(char **slot, const char *v) {
  free(*slot);
  *slot = strdup(v);
  return *slot ? 0 : -1;
}

static int parse_ms(const char *v, long long min, long long *out) {
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno || end == v || *end || n < min) return -1;
  *out = n;
  return 0;
}

int monitor_spec_entry(struct monitor_policy *m, const char *key, const char *v) {
  long long n;
  if (!strcmp(key, "restart")) {
    static const char *names[] = {"no", "always", "on-failure", "unless-stopped"};
    for (int i = 0; i < 4; i++)
      if (!strcmp(v, names[i])) {
        m->restart = (enum restart_policy)i;
        return 0;
      }
    return -1;
  }
  if (!strcmp(key, "restart_max")) {
    if (parse_ms(v, 0, &n) < 0 || n > 1000000000) return -1;
    m->restart_max = (int)n;
    return 0;
  }
  if (!strcmp(key, "restart_file")) return set_str(&m->restart_file, v);
  if (!strcmp(key, "stop_file")) return set_str(&m->stop_file, v);
  if (!strcmp(key, "restart_policy_file")) return set_str(&m->restart_policy_file, v);
  if (!strcmp(key, "health_spec")) return set_str(&m->health_spec, v);
  if (!strcmp(key, "health_file")) return set_str(&m->health_file, v);
  if (!strcmp(key, "health_retries")) {
    if (parse_ms(v, 1, &n) < 0 || n > 1000000) return -1;
    m->health_retries = (int)n;
    return 0;
  }
  struct {
    const char *key;
    long long *slot;
    long long min;
  } durations[] = {{"restart_delay_ms", &m->restart_delay_ms, 1},
                   {"restart_max_delay_ms", &m->restart_max_delay_ms, 1},
                   {"health_interval_ms", &m->health_interval_ms, 1},
                   {"health_timeout_ms", &m->health_timeout_ms, 1},
                   {"health_start_period_ms", &m->health_start_period_ms, 0},
                   {"health_start_interval_ms", &m->health_start_interval_ms, 1}};
  for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++)
    if (!strcmp(key, durations[i].key)) return parse_ms(v, durations[i].min, durations[i].slot);
  return -2;
}

void monitor_spec_free(struct monitor_policy *m) {
  char **strs[] = {&m->restart_file, &m->stop_file, &m->restart_policy_file, &m->health_spec, &m->health_file};
  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
    free(*strs[i]);
    *strs[i] = NULL;
  }
}
