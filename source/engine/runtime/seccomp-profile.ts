// docker's default seccomp profile, as the calls it refuses: some always, others unless the
// container holds a capability that makes them legitimate (docker's `includes.caps` rules).
// The shim turns the names into a BPF filter; --privileged runs without one, as in docker.

const ALWAYS_REFUSED = [
  'add_key', 'keyctl', 'request_key', 'kexec_load', 'kexec_file_load',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register',
  'uselib', 'ustat', 'sysfs', '_sysctl', 'nfsservctl', 'create_module', 'get_kernel_syms', 'query_module',
];

// Capability → the calls it re-allows. (ptrace and process_vm_* are allowed by default on
// kernels from 4.8 on, as in docker's profile.)
const REFUSED_UNLESS: Record<string, string[]> = {
  CAP_SYS_ADMIN: [
    'bpf', 'fanotify_init', 'lookup_dcookie', 'mount', 'move_mount', 'fsopen', 'fsconfig', 'fsmount', 'fspick',
    'open_tree', 'mount_setattr', 'name_to_handle_at', 'perf_event_open', 'pivot_root', 'quotactl', 'quotactl_fd',
    'setns', 'swapon', 'swapoff', 'umount2', 'unshare',
  ],
  CAP_BPF: ['bpf'],
  CAP_PERFMON: ['perf_event_open'],
  CAP_SYS_BOOT: ['reboot'],
  CAP_SYS_MODULE: ['init_module', 'finit_module', 'delete_module'],
  CAP_SYS_PACCT: ['acct'],
  CAP_SYS_PTRACE: ['kcmp', 'pidfd_getfd', 'process_madvise', 'userfaultfd'],
  CAP_SYS_RAWIO: ['iopl', 'ioperm'],
  CAP_SYS_TIME: ['settimeofday', 'clock_settime', 'clock_adjtime'],
  CAP_SYS_TTY_CONFIG: ['vhangup'],
  CAP_SYS_NICE: ['get_mempolicy', 'set_mempolicy', 'mbind', 'move_pages'],
  CAP_SYSLOG: ['syslog'],
  CAP_DAC_READ_SEARCH: ['open_by_handle_at'],
};

export interface SeccompPolicy {
  refused: string[];
  refuseNamespaceClone: boolean; // clone with CLONE_NEW* flags (a user namespace needs no capability)
}

export function seccompPolicy(capabilities: string[]): SeccompPolicy {
  const held = new Set(capabilities);
  const allowed = new Set<string>();
  for (const [cap, calls] of Object.entries(REFUSED_UNLESS)) if (held.has(cap)) calls.forEach((c) => allowed.add(c));
  const refused = new Set(ALWAYS_REFUSED);
  for (const calls of Object.values(REFUSED_UNLESS)) for (const c of calls) if (!allowed.has(c)) refused.add(c);
  return { refused: [...refused].sort(), refuseNamespaceClone: !held.has('CAP_SYS_ADMIN') };
}
