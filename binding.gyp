{
  "targets": [
    {
      "target_name": "strata",
      "sources": ["native/addon.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2", "-D_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"]
    }
  ]
}
