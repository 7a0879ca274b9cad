#!/usr/bin/env bash
# The Debian packages the test suite needs, installed when missing: `npm test` runs this first and
# .ci/run calls it too, so a fresh machine needs nothing by hand. Not root: nothing to install
# here, since only the unit tests run then.
set -euo pipefail

# busybox-static: the test image; iproute2/procps: tests look at the host; tmux: TUI tests
# podman skopeo docker-registry apache2-utils (htpasswd) openssl runc util-linux (script): registry tests and bench
# umoci (with podman and skopeo): the save/load interop tests
# nftables (with iproute2): bridge networking, published ports
# xz-utils bzip2 zstd: ADD of compressed archives in builds
# uidmap (newuidmap/newgidmap) slirp4netns: rootless strata (test/cli/rootless.root.test.ts)
# debootstrap: the Debian bookworm base of the apt build test and bench (test/support/debian-rootfs.ts)
# podman-compose: the peer of bench/compose.ts
need=(busybox-static python3 make g++ iproute2 procps tmux podman podman-compose skopeo docker-registry apache2-utils runc openssl util-linux umoci nftables xz-utils bzip2 zstd uidmap slirp4netns debootstrap)

if [ "$(id -u)" != 0 ]; then
  echo "test-deps: not root, installing nothing (the root-and-kernel tests will be skipped)" >&2
  exit 0
fi

installed() { dpkg -s "$1" >/dev/null 2>&1; }
missing=()
for p in "${need[@]}"; do installed "$p" || missing+=("$p"); done
missing_clients=()
for p in "${clients[@]}"; do installed "$p" || missing_clients+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_clients[@]} -eq 0 ] && exit 0

echo "test-deps: installing ${missing[*]} ${missing_clients[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq "${missing[@]}" >/dev/null
[ ${#missing_clients[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing_clients[@]}" >/dev/null
