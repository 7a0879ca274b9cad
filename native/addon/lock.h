// Advisory whole-file locks (flock) on an fd the caller opened.
#pragma once
#include <stdbool.h>

#include "error.h"

// *taken false only when non_blocking and another holder has it.
int lock_file(int fd, bool exclusive, bool non_blocking, bool *taken, struct strata_error *err);
