// The OCI/AUFS whiteout names found in layer tars, and overlayfs's equivalents.
import { inUserNamespace } from '../rootless/mode.js';

export const WHITEOUT_PREFIX = '.wh.'; // ".wh.NAME" hides NAME of the layers below
export const WHITEOUT_META_PREFIX = '.wh..wh.'; // aufs bookkeeping (plnk, orph): never content
export const OPAQUE_MARKER = '.wh..wh..opq'; // hides everything below in the directory
// Root of a user namespace (rootless strata) cannot set trusted.* attributes: overlay is
// mounted there with "userxattr" and keeps its attributes in user.overlay.* instead.
export const OPAQUE_XATTR = inUserNamespace() ? 'user.overlay.opaque' : 'trusted.overlay.opaque';

/** overlayfs's own attributes, in either namespace: never taken from a tar, never packed into one. */
export function isOverlayXattr(name: string): boolean {
  return name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.');
}
