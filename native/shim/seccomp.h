// Installs the container's seccomp filter from the spec (`seccomp`, `seccomp_deny`, …).
#pragma once
#include "spec.h"
#include "util.h"

int seccomp_install(const struct spec *s, struct strata_error *err);
