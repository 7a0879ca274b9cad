// Capabilities by name, the bounding set, and capset(2) without libcap.
#pragma once
#include <stdint.h>

#include "util.h"

int cap_from_name(const char *name);
// Bounding set reduced to keep, ambient cleared, then effective = permitted = eff_perm
// and inheritable empty.
int caps_drop_bounding(uint64_t keep, struct strata_error *err);
int caps_clear_ambient(struct strata_error *err);
int caps_set(uint64_t eff_perm, struct strata_error *err);
