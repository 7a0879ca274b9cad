// A Debian bookworm root filesystem (debootstrap, minbase variant) as a tar, made once per
// machine and kept in the project's cache dir: the base of the Debian build tests and benches,
// where Docker Hub's debian:bookworm cannot be pulled. Taking 1–3 minutes to make, it is shared
// by every run after the first; a lock keeps two runs from making it at once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CACHE_DIR = process.env.STRATA_TEST_CACHE ?? '/var/cache/strata-test';
const MIRROR = 'http://deb.debian.org/debian';
const SUITE = 'bookworm';

/** The path of the cached tar of the rootfs, made first if this machine has none. */
export function debianRootfsTar(): string {
  const tar = path.join(CACHE_DIR, `debian-${SUITE}-minbase-v3.tar`);
  if (fs.existsSync(tar)) return tar;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // flock(1) holds the lock while the script runs; the script checks again under it
  const script = `
    set -eu
    [ -e "$1" ] && exit 0
    work=$(mktemp -d "$1.tmp.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    debootstrap --variant=minbase ${SUITE} "$work/rootfs" ${MIRROR} > "$work/log" 2>&1 || { tail -20 "$work/log" >&2; exit 1; }
    r="$work/rootfs"
    # as Debian's own container images (debuerreotype): no downloaded packages or indexes kept,
    # apt cleans after itself, no translations, dpkg skips fsync, no services started
    rm -f "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin
    # debootstrap copies in this host's name and resolver: a container gets its own at run time
    rm -f "$r/etc/hostname" "$r/etc/resolv.conf"
    find "$r/var/lib/apt/lists" -maxdepth 1 -type f -delete
    clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
    printf 'DPkg::Post-Invoke { %s; };\nAPT::Update::Post-Invoke { %s; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' "$clean" "$clean" > "$r/etc/apt/apt.conf.d/docker-clean"
    echo 'Acquire::Languages "none";' > "$r/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
    echo 'force-unsafe-io' > "$r/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
    printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d" && chmod 755 "$r/usr/sbin/policy-rc.d"
    tar -C "$work/rootfs" --numeric-owner --xattrs -cf "$work/rootfs.tar" .
    mv "$work/rootfs.tar" "$1"`;
  execFileSync('flock', [path.join(CACHE_DIR, '.debian.lock'), 'sh', '-c', script, 'sh', tar], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20 * 60_000 });
  return tar;
}
