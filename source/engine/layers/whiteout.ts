// The OCI/AUFS whiteout names found in layer tars, and overlayfs's equivalents.
export const WHITEOUT_PREFIX = '.wh.'; // ".wh.NAME" hides NAME of the layers below
export const WHITEOUT_META_PREFIX = '.wh..wh.'; // aufs bookkeeping (plnk, orph): never content
export const OPAQUE_MARKER = '.wh..wh..opq'; // hides everything below in the directory
export const OPAQUE_XATTR = 'trusted.overlay.opaque';
