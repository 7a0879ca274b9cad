// The restart policy: whether an exit restarts the container, docker's back-off, the restart file.
#pragma once
#include <stdbool.h>

#include "monitor-spec.h"

struct restarter {
  int count;         // restarts so far (docker's RestartCount)
  long long delay_ms; // the last back-off; 0 before the first
};

// Whether the container that exited with `code` after running `ran_ms` restarts; sets *delay_ms.
// The policy is first re-read from `restart_policy_file` when the engine wrote one (`update --restart`).
bool restart_due(struct monitor_policy *m, struct restarter *r, int code, long long ran_ms, long long *delay_ms);
// The user stopped or killed the container (the engine's stop file): it stays stopped.
bool restart_stopped_by_user(const struct monitor_policy *m);
// {"restartCount":N,"restarting":true|false} for the engine, written atomically.
void restart_file_write(const struct monitor_policy *m, const struct restarter *r, bool restarting);
