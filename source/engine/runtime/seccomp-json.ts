// A docker seccomp profile (JSON: defaultAction, syscalls[{names, action, errnoRet, includes,
// excludes}]) as the shim's rules, resolved for this container's capabilities, arch and kernel
// the way moby's setupSeccomp does. Argument conditions become the shim's (64-bit compares, all
// of a rule's must hold).
import os from 'node:os';
import { EngineError } from '../errors.js';

interface ProfileFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface ProfileArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

interface ProfileRule {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args?: ProfileArg[] | null;
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  syscalls: ProfileRule[];
}

/** A rule as the shim takes it: the call, its verdict, and conditions ("INDEX OP VALUE [VALUETWO]"). */
export interface ShimSeccompRule {
  name: string;
  action: string; // the shim's words: allow, errno N, kill_process, kill_thread, trap, log
  conditions: string[];
}

export interface ShimSeccompRules {
  defaultAction: string;
  rules: ShimSeccompRule[];
}

const OPS: Record<string, string> = {
  SCMP_CMP_NE: 'ne', SCMP_CMP_LT: 'lt', SCMP_CMP_LE: 'le', SCMP_CMP_EQ: 'eq', SCMP_CMP_GE: 'ge', SCMP_CMP_GT: 'gt',
  SCMP_CMP_MASKED_EQ: 'masked_eq',
};
const MAX_CONDITIONS = 6; // a call has six arguments; the shim takes as many conditions

function argValue(value: unknown, names: string[]): string {
  if (value === undefined) return '0';
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`argument value ${JSON.stringify(value)} (for ${names.join(', ')}) is not an unsigned integer`);
  }
  return String(value);
}

function shimConditions(args: ProfileArg[], names: string[]): string[] {
  if (args.length > MAX_CONDITIONS) throw invalid(`more than ${MAX_CONDITIONS} argument conditions for ${names.join(', ')}`);
  return args.map((arg) => {
    const op = OPS[arg?.op];
    if (!op) throw invalid(`unsupported argument operator ${JSON.stringify(arg?.op)} (for ${names.join(', ')})`);
    if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index > 5) throw invalid(`argument index ${JSON.stringify(arg.index)} (for ${names.join(', ')})`);
    return `${arg.index} ${op} ${argValue(arg.value, names)} ${argValue(arg.valueTwo, names)}`;
  });
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

function parseProfile(json: string): SeccompProfile {
  let profile: SeccompProfile;
  try {
    profile = JSON.parse(json) as SeccompProfile;
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
  return resolveProfile(parseProfile(json), capabilities);
}

/** A profile's rules for a container holding these capabilities, in the profile's order. */
export function resolveProfile(profile: SeccompProfile, capabilities: string[]): ShimSeccompRules {
  const caps = new Set(capabilities);
  const out: ShimSeccompRules = { defaultAction: shimAction(profile.defaultAction, profile.defaultErrnoRet), rules: [] };
  for (const rule of profile.syscalls ?? []) {
    if (rule.name && rule.names?.length) throw invalid("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
    const names = rule.name ? [rule.name] : rule.names ?? [];
    const action = shimAction(rule.action, rule.errnoRet);
    const conditions = shimConditions(rule.args ?? [], names);
    if (!applies(rule, caps)) continue;
    for (const name of names) out.rules.push({ name, action, conditions });
  }
  return out;
}

/** The spec value of a rule: NAME, ACTION and the conditions, tab-separated. */
export function shimRuleEntry(rule: ShimSeccompRule): string {
  return [rule.name, rule.action, ...rule.conditions].join('\t');
}
