// Dockerfiles that install what docker-library/buildpack-deps' Debian bookworm `curl` and `scm`
// variants install, the same way (one RUN: apt-get update, install --no-install-recommends, drop
// the lists), over a debootstrap rootfs standing in for debian:bookworm; and the paths whose
// contents differ from one build to the next whoever builds (build noise).
export const DEBIAN_BASE = 'localhost/debian:bookworm';

export const BUILDPACK_DEPS = {
  curl: `FROM ${DEBIAN_BASE}
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; \\
    rm -rf /var/lib/apt/lists/*
`,
  scm: `FROM localhost/bench/buildpack-deps:bookworm-curl
RUN apt-get update && apt-get install -y --no-install-recommends git git-lfs mercurial openssh-client subversion procps \\
    && rm -rf /var/lib/apt/lists/*
`,
};

/**
 * Paths whose bytes differ between two builds of one Dockerfile whoever builds, with why: the
 * comparison skips their bytes but still checks their type, mode, owner and size.
 */
export const BUILD_NOISE_WHY: Array<[RegExp, string]> = [
  [/^\/var\/log\/dpkg\.log$/, 'dpkg logs every action with the time of day'],
  [/^\/var\/log\/alternatives\.log$/, 'update-alternatives logs every change with the time of day'],
  [/^\/var\/log\/apt\/(history|term)\.log$/, "apt's Start-Date/End-Date and 'Log started' times"],
  [/^\/var\/cache\/ldconfig\/aux-cache$/, "ldconfig's cache of the libraries' inode numbers and ctimes, new inodes every build"],
  [/^\/etc\/gitconfig$/, "git-lfs's postinst (`git lfs install --system`) writes the filter.lfs keys in Go map order, which changes run to run"],
];
export const BUILD_NOISE = BUILD_NOISE_WHY.map(([re]) => re);

export function describeNoise(): string {
  return BUILD_NOISE_WHY.map(([re, why]) => `  ${re.source}: ${why}`).join('\n');
}

/**
 * Where podman's build departs from docker's (docker wins): buildah leaves the empty files it
 * bound /etc/hosts, /etc/hostname and /etc/resolv.conf onto in every RUN step's layer
 * (containers/buildah#4242, open); BuildKit's layers have none. Only these, only empty.
 */
export const PODMAN_RUN_STUBS = ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

/** The podman tree without its RUN stubs; throws if a stub is not an empty regular file. */
export function withoutPodmanStubs(tree: Map<string, string>): Map<string, string> {
  const out = new Map(tree);
  for (const stub of PODMAN_RUN_STUBS) {
    const entry = out.get(stub);
    if (entry !== undefined && !/^file \S+ \S+ 0 /.test(entry)) throw new Error(`podman's ${stub} is not an empty stub: ${entry}`);
    out.delete(stub);
  }
  return out;
}
