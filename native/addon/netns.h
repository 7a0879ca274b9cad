// A container's network sandbox made with rtnetlink, without starting any tool: a network
// namespace bound to a file, a veth pair (host end on a bridge, `eth0` inside), the address,
// `lo` and `eth0` up, and the default route — or, without a veth, the namespace with `lo` up
// (--network none: a namespace that outlives the process, for networks connected later).
#pragma once
#include <stdint.h>

#include "error.h"

struct sandbox_spec {
  const char *netns_path; // file the namespace is bound to (created; must not be a mount yet)
  const char *host_veth;  // name of the host end; NULL: a namespace with `lo` alone (the rest unused)
  const char *bridge;     // bridge the host end joins
  uint8_t mac[6];         // of eth0
  uint32_t ip;            // host byte order
  int prefix;
  uint32_t gateway; // host byte order
};

int strata_create_sandbox(const struct sandbox_spec *s, struct strata_error *err);

// Deletes a link by name (a veth takes its peer along); a link that is not there is success.
int strata_delete_link(const char *name, struct strata_error *err);
