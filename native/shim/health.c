// The health check as docker runs it: every interval (start interval during the start period)
// the check runs in the container; exit 0 is healthy, anything else (or the timeout) a failure;
// `retries` failures in a row make it unhealthy, failures in the start period do not count.
#include "health.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX 4096
#define DEFAULT_INTERVAL_MS 30000
#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_START_INTERVAL_MS 5000
#define DEFAULT_RETRIES 3

static long long or_default(long long v, long long d) { return v > 0 ? v : d; }

static void now_text(char out[48]) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  format_rfc3339nano(&ts, out);
}

static bool in_start_period(const struct health *h, long long now_ms) {
  return now_ms - h->run_started_ms < h->m->health_start_period_ms;
}

static long long next_delay(const struct health *h, long long now_ms) {
  if (in_start_period(h, now_ms) && h->m->health_start_interval_ms > 0) return h->m->health_start_interval_ms;
  if (in_start_period(h, now_ms) && h->m->health_interval_ms <= 0) return DEFAULT_START_INTERVAL_MS;
  return or_default(h->m->health_interval_ms, DEFAULT_INTERVAL_MS);
}

static void write_health_file(const struct health *h) {
  struct buf b = {0};
  int rc = buf_printf(&b, "{\"status\":\"%s\",\"failingStreak\":%d,\"log\":[", h->status, h->failing_streak);
  for (int i = 0; rc == 0 && i < h->nlog; i++) {
    const struct health_result *r = &h->log[i];
    rc = buf_printf(&b, "%s{\"start\":\"%s\",\"end\":\"%s\",\"exitCode\":%d,\"output\":\"", i ? "," : "", r->start, r->end, r->exit_code);
    if (rc == 0) rc = json_escape(&b, r->output.data ? r->output.data : "", r->output.len);
    if (rc == 0) rc = buf_append(&b, "\"}", 2);
  }
  if (rc == 0) rc = buf_append(&b, "]}\n", 3);
  struct strata_error err = {0};
  if (rc == 0) write_file_atomic(h->m->health_file, b.data, b.len, &err);
  buf_free(&b);
}

void health_init(struct health *h, const struct monitor_policy *m) {
  memset(h, 0, sizeof *h);
  h->m = m;
  h->out_fd = -1;
  h->status = "starting";
}

// The check's spec: the engine's, plus the container process to enter (new at every run).
static int write_run_spec(struct health *h, pid_t container_pid) {
  struct buf text = {0};
  if (read_file(h->m->health_spec, &text) < 0) return -1;
  int rc = buf_printf(&text, "\ntarget_pid %d\n", (int)container_pid);
  free(h->run_spec);
  h->run_spec = NULL;
  size_t len = strlen(h->m->health_spec) + 8;
  h->run_spec = malloc(len);
  struct strata_error err = {0};
  if (rc == 0 && h->run_spec) {
    snprintf(h->run_spec, len, "%s.run", h->m->health_spec);
    rc = write_file_atomic(h->run_spec, text.data, text.len, &err);
  } else {
    rc = -1;
  }
  buf_free(&text);
  return rc;
}

void health_start(struct health *h, pid_t container_pid, long long now_ms) {
  if (!h->m->health_spec || !h->m->health_file) return;
  h->enabled = write_run_spec(h, container_pid) == 0;
  h->run_started_ms = now_ms;
  h->failing_streak = 0;
  h->status = "starting";
  h->next_ms = now_ms + next_delay(h, now_ms);
  if (h->enabled) write_health_file(h);
}

int health_timeout(const struct health *h, long long now_ms) {
  if (!h->enabled) return -1;
  long long at = h->pid ? h->deadline_ms : h->next_ms;
  long long left = at - now_ms;
  return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

static void begin_check(struct health *h, long long now_ms) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) {
    h->next_ms = now_ms + next_delay(h, now_ms);
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0) _exit(125);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL); // the monitor blocks the signals it takes by signalfd
    execl("/proc/self/exe", "strata-shim", "exec", h->run_spec, (char *)NULL);
    _exit(126);
  }
  close(p[1]);
  if (pid < 0) {
    close(p[0]);
    h->next_ms = now_ms + next_delay(h, now_ms);
    return;
  }
  set_nonblock(p[0], true);
  h->pid = pid;
  h->out_fd = p[0];
  h->deadline_ms = now_ms + or_default(h->m->health_timeout_ms, DEFAULT_TIMEOUT_MS);
  h->current.output.len = 0;
  now_text(h->current.start);
}

void health_tick(struct health *h, long long now_ms) {
  if (!h->enabled) return;
  if (h->pid && now_ms >= h->deadline_ms) {
    kill(h->pid, SIGKILL); // its result (timed out) is recorded when it is reaped
    h->deadline_ms = now_ms + 60000;
    h->current.exit_code = -2;
  } else if (!h->pid && now_ms >= h->next_ms) {
    begin_check(h, now_ms);
  }
}

int health_fd(const struct health *h) { return h->out_fd; }

void health_read(struct health *h) {
  char chunk[4096];
  for (;;) {
    ssize_t n = read(h->out_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0 || errno != EAGAIN) {
        close(h->out_fd);
        h->out_fd = -1;
      }
      return;
    }
    size_t room = OUTPUT_MAX - h->current.output.len;
    if (room > 0) buf_append(&h->current.output, chunk, (size_t)n < room ? (size_t)n : room);
  }
}

static void record_result(struct health *h, int exit_code, long long now_ms) {
  if (h->nlog == HEALTH_LOG_MAX) {
    buf_free(&h->log[0].output);
    memmove(&h->log[0], &h->log[1], sizeof h->log[0] * (HEALTH_LOG_MAX - 1));
    h->nlog--;
  }
  struct health_result *r = &h->log[h->nlog++];
  memset(r, 0, sizeof *r);
  memcpy(r->start, h->current.start, sizeof r->start);
  now_text(r->end);
  r->exit_code = exit_code;
  if (exit_code == -1) {
    char msg[96];
    int len = snprintf(msg, sizeof msg, "Health check exceeded timeout (%lldms)", or_default(h->m->health_timeout_ms, DEFAULT_TIMEOUT_MS));
    buf_append(&r->output, msg, len);
  } else if (h->current.output.len) {
    buf_append(&r->output, h->current.output.data, h->current.output.len);
  }
  if (exit_code == 0) {
    h->failing_streak = 0;
    h->status = "healthy";
  } else if (!(in_start_period(h, now_ms) && !strcmp(h->status, "starting"))) {
    h->failing_streak++;
    if (h->failing_streak >= (h->m->health_retries > 0 ? h->m->health_retries : DEFAULT_RETRIES)) h->status = "unhealthy";
  }
  write_health_file(h);
}

bool health_reaped(struct health *h, pid_t pid, int wstatus) {
  if (!h->pid || pid != h->pid) return false;
  if (h->out_fd >= 0) health_read(h);
  if (h->out_fd >= 0) close(h->out_fd);
  h->out_fd = -1;
  h->pid = 0;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  long long now_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
  int code = h->current.exit_code == -2 ? -1 : WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  h->current.exit_code = 0;
  if (h->enabled) {
    record_result(h, code, now_ms);
    h->next_ms = now_ms + next_delay(h, now_ms);
  }
  return true;
}

void health_stop(struct health *h) {
  if (h->pid) {
    kill(h->pid, SIGKILL);
    int st;
    while (waitpid(h->pid, &st, 0) < 0 && errno == EINTR) {
    }
    h->pid = 0;
  }
  if (h->out_fd >= 0) close(h->out_fd);
  h->out_fd = -1;
  h->enabled = false;
}

void health_free(struct health *h) {
  health_stop(h);
  for (int i = 0; i < h->nlog; i++) buf_free(&h->log[i].output);
  buf_free(&h->current.output);
  if (h->run_spec) unlink(h->run_spec);
  free(h->run_spec);
  h->run_spec = NULL;
}
