// rm -rf for the store's own directories, never following a symlink nor crossing a mount.
#pragma once
#include "error.h"

// Removes path and everything under it, never following a symlink and never crossing into
// another filesystem (a mount below path fails with EXDEV, leaving it and what holds it). A
// missing path is not an error. Every fd it opened is closed on every path.
int remove_tree(const char *path, struct strata_error *err);
