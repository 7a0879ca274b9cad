// The device rules of a cgroup v2 group: v2 has no devices.allow file, so the rules become an
// eBPF program of type CGROUP_DEVICE attached to the group (what runc's devicefilter does).
// The attachment holds the program, so it outlives this process along with the group.
#include "device-filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct rule {
  int type;   // BPF_DEVCG_DEV_CHAR, BPF_DEVCG_DEV_BLOCK or 0 for any ('a')
  long major; // -1: any
  long minor;
  unsigned access; // BPF_DEVCG_ACC_* bits
};

static int parse_number(const char *s, long *out) {
  if (!strcmp(s, "*")) {
    *out = -1;
    return 0;
  }
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 0) return -1;
  *out = v;
  return 0;
}

// "c 1:3 rwm", "b *:* m", "a"
static int parse_rule(const char *line, struct rule *r) {
  char type, nums[64] = "*:*", acc[8] = "rwm";
  int n = sscanf(line, " %c %63s %7s", &type, nums, acc);
  if (n < 1) return -1;
  r->type = type == 'c' ? BPF_DEVCG_DEV_CHAR : type == 'b' ? BPF_DEVCG_DEV_BLOCK : type == 'a' ? 0 : -1;
  if (r->type < 0) return -1;
  char *colon = strchr(nums, ':');
  if (!colon) return -1;
  *colon = '\0';
  if (parse_number(nums, &r->major) < 0 || parse_number(colon + 1, &r->minor) < 0) return -1;
  r->access = 0;
  for (const char *p = acc; *p; p++) {
    if (*p == 'r') r->access |= BPF_DEVCG_ACC_READ;
    else if (*p == 'w') r->access |= BPF_DEVCG_ACC_WRITE;
    else if (*p == 'm') r->access |= BPF_DEVCG_ACC_MKNOD;
    else return -1;
  }
  return 0;
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0)
#define ALU_IMM(op, dst, imm) INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV_REG(dst, src) INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV_IMM(dst, imm) INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

// r2 = type, r3 = access, r4 = major, r5 = minor; each rule either returns 1 or falls through
static size_t emit_program(const struct rule *rules, size_t n, struct bpf_insn *out) {
  size_t k = 0;
  out[k++] = LDX_W(2, 1, 0);
  out[k++] = ALU_IMM(BPF_AND, 2, 0xFFFF);
  out[k++] = LDX_W(3, 1, 0);
  out[k++] = ALU_IMM(BPF_RSH, 3, 16);
  out[k++] = LDX_W(4, 1, 4);
  out[k++] = LDX_W(5, 1, 8);
  for (size_t i = 0; i < n; i++) {
    const struct rule *r = &rules[i];
    int checks = (r->type ? 1 : 0) + (r->major >= 0 ? 1 : 0) + (r->minor >= 0 ? 1 : 0) + 3;
    int remaining = checks + 2; // instructions of this rule, the last two being r0 = 1; exit
    // a failed check jumps past the rest of this rule: `remaining - 1` instructions on
    if (r->type) {
      out[k++] = JNE_IMM(2, r->type, remaining - 1);
      remaining--;
    }
    if (r->major >= 0) {
      out[k++] = JNE_IMM(4, (int)r->major, remaining - 1);
      remaining--;
    }
    if (r->minor >= 0) {
      out[k++] = JNE_IMM(5, (int)r->minor, remaining - 1);
      remaining--;
    }
    // every requested access bit must be among the rule's
    out[k++] = MOV_REG(1, 3);
    out[k++] = ALU_IMM(BPF_AND, 1, (int)(~r->access & 0xFFFF));
    remaining -= 2;
    out[k++] = JNE_IMM(1, 0, remaining - 1);
    out[k++] = MOV_IMM(0, 1);
    out[k++] = EXIT();
  }
  out[k++] = MOV_IMM(0, 0);
  out[k++] = EXIT();
  return k;
}

int device_filter_attach(const char *cgroup_dir, const char *rules_text, struct strata_error *err) {
  size_t cap = 1;
  for (const char *p = rules_text; *p; p++) cap += *p == '\n';
  struct rule *rules = calloc(cap, sizeof *rules);
  struct bpf_insn *prog = calloc(8 + cap * 8, sizeof *prog);
  char *copy = strdup(rules_text);
  int cgroup_fd = -1, prog_fd = -1, rc = -1;
  if (!rules || !prog || !copy) {
    make_syscall_error(err, ENOMEM, "bpf", "allocate device filter %s", cgroup_dir);
    goto out;
  }
  size_t n = 0;
  char *save = NULL;
  // a rule that does not parse, like memory that ran out, fails the program bpf would load
  for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (parse_rule(line, &rules[n]) < 0) {
      make_syscall_error(err, EINVAL, "bpf", "parse device rule %s", cgroup_dir);
      goto out;
    }
    n++;
  }
  size_t len = emit_program(rules, n, prog);
  union bpf_attr load;
  memset(&load, 0, sizeof load);
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = (unsigned long)prog;
  load.insn_cnt = (unsigned)len;
  load.license = (unsigned long)"Apache";
  prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
  if (prog_fd < 0) {
    make_syscall_error(err, errno, "bpf", "bpf BPF_PROG_LOAD (device filter) %s", cgroup_dir);
    goto out;
  }
  cgroup_fd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgroup_fd < 0) {
    make_syscall_error(err, errno, "open", "open cgroup %s", cgroup_dir);
    goto out;
  }
  union bpf_attr attach;
  memset(&attach, 0, sizeof attach);
  attach.target_fd = (unsigned)cgroup_fd;
  attach.attach_bpf_fd = (unsigned)prog_fd;
  attach.attach_type = BPF_CGROUP_DEVICE;
  if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach) < 0) {
    make_syscall_error(err, errno, "bpf", "bpf BPF_PROG_ATTACH (device filter) %s", cgroup_dir);
    goto out;
  }
  rc = 0;
out:
  if (prog_fd >= 0) close(prog_fd);
  if (cgroup_fd >= 0) close(cgroup_fd);
  free(copy);
  free(prog);
  free(rules);
  return rc;
}
