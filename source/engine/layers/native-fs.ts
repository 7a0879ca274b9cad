// layers/: the layer store — tar → layer dir (whiteouts as overlay wants them), diffID/chainID,
// sizes. This file names the few syscalls Node lacks, from the addon (native/CONTRACT.md),
// and the file-type bits mknod(2) takes.
export { mknod, lsetxattr, lgetxattr, llistxattr, writeNewFile } from '../../native.js';

export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
