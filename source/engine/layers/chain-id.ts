// ChainIDs as the OCI image spec defines them: the first layer's is its diffID, each next one
// is sha256 of "<parent chainID> <diffID>". A chainID names a layer together with all below it.
import { sha256Digest } from '../content/digest.js';

export function chainId(parentChainId: string | null | undefined, diffId: string): string {
  if (!parentChainId) return diffId;
  return sha256Digest(`${parentChainId} ${diffId}`);
}

/** ChainIDs of a whole stack, bottom layer first. */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) out.push(chainId(out[out.length - 1], diffId));
  return out;
}
