{
  "targets": [
    {
      "target_name": "strata",
      "sources": ["native/addon.c", "native/mount.c", "native/device-filter.c", "native/netns.c", "native/spawn.c", "native/new-file.c", "native/remove-tree.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"]
    },
    {
      "target_name": "strata-shim",
      "type": "executable",
      "sources": [
        "native/shim.c",
        "native/exec.c",
        "native/init.c",
        "native/rootfs.c",
        "native/caps.c",
        "native/seccomp.c",
        "native/spec.c",
        "native/log.c",
        "native/attach.c",
        "native/pty.c",
        "native/util.c"
      ],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"]
    },
    {
      "target_name": "strata-init",
      "type": "executable",
      "sources": ["native/container-init.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"],
      "ldflags": ["-static"]
    }
  ]
}
