// A docker seccomp profile (JSON: defaultAction, syscalls[{names, action, errnoRet, includes,
// excludes}]) as the shim's rules, resolved for this container's capabilities, arch and kernel
// the way moby's setupSeccomp does. Argument conditions are not translated yet: refused.
import os from 'node:os';
import { EngineError } from '../errors.js';

interface ProfileFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface ProfileRule {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args?: unknown[] | null;
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}

interface Profile {
  defaultAction: string;
  defaultErrnoRet?: number;
  syscalls?: ProfileRule[];
}

export interface ShimSeccompRules {
  defaultAction: string; // the shim's words: allow, errno N, kill_process, kill_thread, trap, log
  rules: Array<[name: string, action: string]>;
}

const EPERM = 1;

function invalid(why: string): EngineError {
  return new EngineError(`decoding seccomp profile failed: ${why}`, 'invalid');
}

function shimAction(action: string, errnoRet: number | undefined): string {
  switch (action) {
    case 'SCMP_ACT_ALLOW': return 'allow';
    case 'SCMP_ACT_ERRNO': return `errno ${errnoRet ?? EPERM}`;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD': return 'kill_thread';
    case 'SCMP_ACT_KILL_PROCESS': return 'kill_process';
    case 'SCMP_ACT_TRAP': return 'trap';
    case 'SCMP_ACT_LOG': return 'log';
    default: throw invalid(`unsupported action "${action}"`);
  }
}

// Go's runtime.GOARCH, which the profile's arches name
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

function kernelAtLeast(min: string): boolean {
  const have = os.release().split(/[.-]/).map(Number);
  const want = min.split('.').map(Number);
  for (let i = 0; i < want.length; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i];
  }
  return true;
}

function applies(rule: ProfileRule, caps: Set<string>): boolean {
  const arch = GO_ARCH[process.arch] ?? process.arch;
  const ex = rule.excludes;
  if (ex) {
    if (ex.arches?.length && ex.arches.includes(arch)) return false;
    if (ex.caps?.some((c) => caps.has(c))) return false;
    if (ex.minKernel && kernelAtLeast(ex.minKernel)) return false;
  }
  const inc = rule.includes;
  if (inc) {
    if (inc.arches?.length && !inc.arches.includes(arch)) return false;
    if (inc.caps?.length && !inc.caps.every((c) => caps.has(c))) return false;
    if (inc.minKernel && !kernelAtLeast(inc.minKernel)) return false;
  }
  return true;
}

function parseProfile(json: string): Profile {
  let profile: Profile;
  try {
    profile = JSON.parse(json) as Profile;
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (!profile || typeof profile !== 'object' || typeof profile.defaultAction !== 'string') throw invalid('no defaultAction');
  return profile;
}

/** Checks a profile at create time: everything shimRules would refuse later. */
export function validateSeccompProfile(json: string): void {
  shimRules(json, []);
}

export function shimRules(json: string, capabilities: string[]): ShimSeccompRules {
  const profile = parseProfile(json);
  const caps = new Set(capabilities);
  const out: ShimSeccompRules = { defaultAction: shimAction(profile.defaultAction, profile.defaultErrnoRet), rules: [] };
  for (const rule of profile.syscalls ?? []) {
    if (rule.name && rule.names?.length) throw invalid("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
    const names = rule.name ? [rule.name] : rule.names ?? [];
    const action = shimAction(rule.action, rule.errnoRet);
    if (rule.args?.length) throw invalid(`argument conditions (for ${names.join(', ')}) are not supported by strata yet`);
    if (!applies(rule, caps)) continue;
    for (const name of names) out.rules.push([name, action]);
  }
  return out;
}
