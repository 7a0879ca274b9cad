// Reading from a repository: manifests (checked against the digest they were asked by, or the
// registry's Docker-Content-Digest) and small blobs such as configs, verified before use.
import { EngineError } from '../errors.js';
import { isDigest, sha256Digest } from '../content/digest.js';
import type { Descriptor } from '../images/oci.js';
import { registryError, type RegistryClient } from './client.js';
import { ACCEPT_MANIFESTS } from './formats.js';
import { readBody } from './http.js';

const MANIFEST_LIMIT = 4 << 20;
const CONFIG_LIMIT = 32 << 20;

export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  contentType: string | undefined;
}

export async function fetchManifest(client: RegistryClient, repository: string, reference: string, display: string): Promise<FetchedManifest> {
  const res = await client.request(`/v2/${repository}/manifests/${reference}`, { headers: { Accept: ACCEPT_MANIFESTS } });
  if (res.status === 404) {
    const err = await registryError(res, `manifest for ${display} not found`);
    throw new EngineError(err.message, 'not-found');
  }
  if (res.status !== 200) throw await registryError(res, `cannot get the manifest for ${display}`);
  const bytes = await readBody(res, MANIFEST_LIMIT);
  const digest = sha256Digest(bytes);
  const claimed = res.headers['docker-content-digest'];
  if (isDigest(reference) && digest !== reference) {
    throw new EngineError(`manifest for ${display} failed verification: it hashes to ${digest}, not ${reference}`, 'invalid');
  }
  if (typeof claimed === 'string' && isDigest(claimed) && claimed !== digest) {
    throw new EngineError(`manifest for ${display} failed verification: it hashes to ${digest}, the registry says ${claimed}`, 'invalid');
  }
  return { bytes, digest, contentType: res.headers['content-type'] };
}

/** A small blob (an image config) read whole and verified against its descriptor. */
export async function fetchSmallBlob(client: RegistryClient, repository: string, desc: Descriptor, what: string): Promise<Buffer> {
  if (desc.size > CONFIG_LIMIT) throw new EngineError(`${what} ${desc.digest} is ${desc.size} bytes: too large`, 'invalid');
  const res = await client.request(`/v2/${repository}/blobs/${desc.digest}`);
  if (res.status !== 200) throw await registryError(res, `cannot get ${what} ${desc.digest}`);
  const bytes = await readBody(res, CONFIG_LIMIT);
  const digest = sha256Digest(bytes);
  if (digest !== desc.digest) throw new EngineError(`${what} ${desc.digest} failed verification: its content hashes to ${digest}`, 'invalid');
  if (bytes.length !== desc.size) throw new EngineError(`${what} ${desc.digest} is ${bytes.length} bytes, the manifest says ${desc.size}`, 'invalid');
  return bytes;
}

export function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as T;
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value;
  } catch (err) {
    throw new EngineError(`${what} is not valid JSON: ${(err as Error).message}`, 'invalid');
  }
}
