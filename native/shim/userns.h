// User namespaces (CONTRACT.md: uid_map, gid_map, idmap_lower, idmap_upper, idmap_work, bind option idmap):
// the container's maps, idmapped mounts of the image layers and of volumes, root inside.
#pragma once
#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

static inline bool spec_has_userns(const struct spec *s) { return s->uid_map != NULL; }

// Writes the spec's uid_map and gid_map for pid (a child in a new user namespace).
int userns_write_maps(pid_t pid, const struct spec *s, struct strata_error *err);

// An fd of a user namespace with the spec's maps, for MOUNT_ATTR_IDMAP: made by a short-lived
// helper process cloned into a new user namespace.
int userns_mapping_fd(const struct spec *s, struct strata_error *err);

// A detached clone of path's mount (with its submounts when recursive).
int userns_detached_tree(const char *path, bool recursive, struct strata_error *err);

// A detached clone of path's mount (with its submounts when recursive), idmapped through userns_fd.
int userns_idmapped_tree(const char *path, int userns_fd, bool recursive, struct strata_error *err);

// Mounts the container's overlay at the spec's rootfs on idmapped layers (idmap_lower*, idmap_upper,
// idmap_work); the upper dir keeps the host's ids on disk, as a container without a user namespace does.
// *held: the detached layer mounts, kept open (a -1 ends the array; close them at exit, or never).
int userns_mount_overlay(const struct spec *s, int userns_fd, int **held, struct strata_error *err);

// A detached read-only sysfs mount showing the network namespace we are in (the container's,
// joined by userns_enter_shared): the container's root may not mount one for a network
// namespace its user namespace does not own.
int userns_detached_sysfs(struct strata_error *err);

// The container process after its maps are written: root of its namespace (host ids of the range).
int userns_become_root(struct strata_error *err);

// A bind entry ("SRC\tDST\tOPTIONS") whose options ask for an idmapped mount.
bool bind_wants_idmap(const char *entry);

// Namespaces owned by the host's user namespace that the container shares (its prepared network
// namespace, another container's ipc/uts): a process in a new user namespace can no longer join
// them, so the shim joins them around clone and the child inherits them. saved[3]: ours, restored
// by userns_leave_shared.
int userns_enter_shared(const struct spec *s, int saved[3], struct strata_error *err);
int userns_leave_shared(int saved[3], struct strata_error *err);
