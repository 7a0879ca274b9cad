// Which device nodes a container may open: docker's default rules, through the v1 devices
// controller where there is one, else as an eBPF program on the v2 group.
import fs from 'node:fs';
import path from 'node:path';
import { attachDeviceFilter } from '../../native.js';
import type { CgroupPaths } from './cgroups.js';

// nodes may be created (m) but only these opened: null, zero, full, random, urandom, tty,
// console, ptmx, the pty slaves and tun
export const DEFAULT_DEVICE_RULES = [
  'c *:* m', 'b *:* m', 'c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm',
  'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c 10:200 rwm',
];

/** docker's rule for a --device: the host node's type and major:minor with the permissions asked. */
export function deviceRule(pathOnHost: string, permissions: string): string {
  const st = fs.statSync(pathOnHost);
  const major = Math.floor(st.rdev / 256) & 0xfff;
  const minor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
  return `${st.isBlockDevice() ? 'b' : 'c'} ${major}:${minor} ${permissions}`;
}

export function applyDeviceRules(paths: CgroupPaths, privileged: boolean, extraRules: string[] = []): void {
  if (privileged) return;
  const rules = [...DEFAULT_DEVICE_RULES, ...extraRules];
  if (paths.devices) {
    fs.writeFileSync(path.join(paths.devices, 'devices.deny'), 'a');
    // the kernel takes one rule per write(2): one open for all of them, a write each
    const allow = fs.openSync(path.join(paths.devices, 'devices.allow'), 'w');
    try {
      for (const rule of rules) fs.writeSync(allow, rule);
    } finally {
      fs.closeSync(allow);
    }
  } else if (paths.unified) {
    attachDeviceFilter(paths.unified, rules);
  }
}
