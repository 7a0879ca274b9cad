#ifndef STRATA_REMOVE_TREE_H
#define STRATA_REMOVE_TREE_H

// Removes path and everything under it, never following a symlink and never crossing into
// another filesystem (a mount below path fails with EXDEV, leaving it and what holds it). A
// missing path is not an error. On failure returns -1 with errno set and *what naming the
// syscall that failed; every fd it opened is closed on every path.
int remove_tree(const char *path, const char **what);

#endif
