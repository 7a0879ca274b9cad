// content/: the content-addressed blob store (blobs/sha256/<hex>). Digests are checked while
// streaming and blobs appear only by an atomic rename, so a blob on disk is always whole.
import crypto from 'node:crypto';
import { EngineError } from '../errors.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** The 64-hex part of a sha256 digest; throws on anything else. */
export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m) throw new EngineError(`invalid digest "${digest}": expected sha256:<64 hex digits>`, 'invalid');
  return m[1];
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}
