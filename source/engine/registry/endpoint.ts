// Where a registry named in a reference is reached: docker.io means registry-1.docker.io, and
// plain HTTP is used only for loopback registries and those the config names insecure — like
// docker, which treats 127.0.0.0/8 as insecure out of the box. Everything else is HTTPS.
import net from 'node:net';
import { DEFAULT_DOMAIN } from '../images/reference.js';

const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';

export interface Endpoint {
  domain: string; // as in the reference: docker.io, 127.0.0.1:5000
  base: URL; // scheme://host[:port]
}

/** The host part without a port, brackets removed from an IPv6 literal. */
export function hostOnly(domain: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(domain);
  if (v6) return v6[1];
  const colon = domain.lastIndexOf(':');
  return colon >= 0 ? domain.slice(0, colon) : domain;
}

export function isLoopback(domain: string): boolean {
  const host = hostOnly(domain).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export function isInsecure(domain: string, insecure: readonly string[]): boolean {
  return isLoopback(domain) || insecure.some((entry) => entry === domain || entry === hostOnly(domain));
}

export function endpointFor(domain: string, insecure: readonly string[]): Endpoint {
  const host = domain === DEFAULT_DOMAIN ? DOCKER_HUB_ENDPOINT : domain;
  const scheme = isInsecure(domain, insecure) ? 'http' : 'https';
  return { domain, base: new URL(`${scheme}://${host}`) };
}
