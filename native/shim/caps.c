// Capabilities by name, the bounding and ambient sets, and capset(2) without libcap.
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const cap_names[] = {
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
    "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
    "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
    "CHECKPOINT_RESTORE",
};

int cap_from_name(const char *name) {
  if (strncasecmp(name, "CAP_", 4) == 0) name += 4;
  for (size_t i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++)
    if (strcasecmp(name, cap_names[i]) == 0) return (int)i;
  return -1;
}

int caps_drop_bounding(uint64_t keep, struct strata_error *err) {
  // probe upwards: the running kernel may know more capabilities than our table
  for (int cap = 0; cap < 64; cap++) {
    int rc = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (rc < 0) {
      if (errno == EINVAL) break;
      return make_error(err, errno, "prctl PR_CAPBSET_READ %d", cap);
    }
    if (rc == 1 && !(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      return make_error(err, errno, "prctl PR_CAPBSET_DROP %d", cap);
  }
  return 0;
}

int caps_clear_ambient(struct strata_error *err) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return make_error(err, errno, "prctl PR_CAP_AMBIENT_CLEAR_ALL");
  return 0;
}

int caps_set(uint64_t eff_perm, struct strata_error *err) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  // a host that itself lacks a capability (this VM has no CAP_SYS_RESOURCE) cannot grant it:
  // --privileged means everything we hold, as with runc
  if (syscall(SYS_capget, &hdr, data) < 0) return make_error(err, errno, "capget");
  eff_perm &= (uint64_t)data[0].permitted | ((uint64_t)data[1].permitted << 32);
  memset(data, 0, sizeof data);
  data[0].effective = data[0].permitted = (uint32_t)eff_perm;
  data[1].effective = data[1].permitted = (uint32_t)(eff_perm >> 32);
  if (syscall(SYS_capset, &hdr, data) < 0) return make_error(err, errno, "capset");
  return 0;
}
