// images/: image records, references and tags, OCI configs and manifests, import, removal and
// garbage collection. This file parses docker-style references: `busybox` is stored as
// docker.io/library/busybox:latest and shown back as busybox:latest, the way docker shows it.
import { EngineError } from '../errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const NAME_MAX = 255;

export interface Reference {
  domain: string; // registry host[:port], docker.io by default
  path: string; // repository path, library/busybox for official images
  tag?: string;
  digest?: string;
}

function invalid(input: string, why: string): EngineError {
  return new EngineError(`invalid reference format: ${why}${why.includes(input) ? '' : ` (${JSON.stringify(input)})`}`, 'invalid');
}

/** Parses and normalises; a reference with neither tag nor digest gets :latest unless defaultTag is false. */
export function parseReference(input: string, { defaultTag = true } = {}): Reference {
  if (input === '') throw invalid(input, 'empty reference');
  if (HEX64.test(input)) throw new EngineError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`, 'invalid');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `bad digest "${digest}"`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, `bad tag "${tag}"`);
  }
  if (rest.length > NAME_MAX) throw invalid(input, `repository name must not be longer than ${NAME_MAX} characters`);

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw invalid(input, `bad registry "${first}"`);
      domain = first === LEGACY_DOMAIN ? DEFAULT_DOMAIN : first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  if (path !== path.toLowerCase()) throw invalid(input, `repository name (${path}) must be lowercase`);
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) throw invalid(input, `bad repository name "${path}"`);
  }
  if (!tag && !digest && defaultTag) tag = DEFAULT_TAG;
  return { domain, path, tag, digest };
}

export function repositoryName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The normalised form used as the key in the tag index: docker.io/library/busybox:latest. */
export function fullReference(ref: Reference): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The form docker shows: busybox:latest, demo/app:1, 127.0.0.1:5000/team/app:1.2. */
export function familiarReference(ref: Reference): string {
  let name = repositoryName(ref);
  if (ref.domain === DEFAULT_DOMAIN) {
    name = ref.path.startsWith(OFFICIAL_PREFIX) && ref.path.split('/').length === 2 ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
  }
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** familiarReference of a stored key. */
export function familiarOf(full: string): string {
  return familiarReference(parseReference(full, { defaultTag: false }));
}
