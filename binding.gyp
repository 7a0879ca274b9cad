{
  "target_defaults": {
    "include_dirs": ["native/common"],
    "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"]
  },
  "targets": [
    {
      "target_name": "strata",
      "sources": [
        "native/addon/addon.c",
        "native/addon/mount.c",
        "native/addon/device-filter.c",
        "native/addon/netns.c",
        "native/addon/spawn.c",
        "native/addon/new-file.c",
        "native/addon/remove-tree.c",
        "native/addon/xattr.c",
        "native/addon/lock.c",
        "native/common/error.c"
      ],
      "cflags!": ["-fno-exceptions"]
    },
    {
      "target_name": "strata-shim",
      "type": "executable",
      "sources": [
        "native/shim/shim.c",
        "native/shim/exec.c",
        "native/shim/container-process.c",
        "native/shim/host-options.c",
        "native/shim/rootfs.c",
        "native/shim/workdir.c",
        "native/shim/caps.c",
        "native/shim/seccomp.c",
        "native/shim/spec.c",
        "native/shim/monitor-spec.c",
        "native/shim/restart.c",
        "native/shim/health.c",
        "native/shim/log.c",
        "native/shim/attach.c",
        "native/shim/pty.c",
        "native/shim/util.c",
        "native/shim/userns.c",
        "native/shim/slirp.c",
        "native/common/error.c"
      ],
      "cflags!": ["-fno-exceptions"]
    },
    {
      "target_name": "strata-rootless",
      "type": "executable",
      "sources": ["native/rootless/rootless.c", "native/common/error.c"]
    },
    {
      "target_name": "strata-init",
      "type": "executable",
      "sources": ["native/init/strata-init.c", "native/common/error.c"],
      "ldflags": ["-static"]
    }
  ]
}
