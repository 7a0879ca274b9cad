// docker's --security-opt values (no-new-privileges, seccomp, label, apparmor), validated and
// read as the daemon does (moby daemon/create's parseSecurityOpt), with docker's messages.
import { EngineError } from '../errors.js';
import { validateSeccompProfile } from './seccomp-json.js';

export interface SecurityOptions {
  noNewPrivileges: boolean;
  // 'default': docker's builtin profile; otherwise a profile's JSON as the CLI sent it
  seccomp: 'default' | 'unconfined' | { profileJson: string };
}

function parseBool(v: string): boolean | undefined {
  // Go's strconv.ParseBool
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function splitOption(opt: string): [string, string] | undefined {
  // `=`, or the `:` docker deprecated long ago and still reads
  const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
  if (!sep) return undefined;
  const at = opt.indexOf(sep);
  return [opt.slice(0, at), opt.slice(at + 1)];
}

export function parseSecurityOptions(opts: string[] = []): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, seccomp: 'default' };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue; // label=disable's old spelling
    const kv = splitOption(opt);
    if (!kv) throw new EngineError(`invalid --security-opt 1: "${opt}"`, 'invalid');
    const [key, value] = kv;
    switch (key) {
      case 'label': // this host has no SELinux: accepted and kept, as docker does there
      case 'apparmor': // nor AppArmor
        break;
      case 'seccomp':
        if (value === 'unconfined') out.seccomp = 'unconfined';
        else if (value === 'builtin' || value === '') out.seccomp = 'default';
        else {
          validateSeccompProfile(value);
          out.seccomp = { profileJson: value };
        }
        break;
      case 'no-new-privileges': {
        const on = parseBool(value);
        if (on === undefined) throw new EngineError(`invalid --security-opt 2: "${opt}"`, 'invalid');
        out.noNewPrivileges = on;
        break;
      }
      default:
        throw new EngineError(`invalid --security-opt 2: "${opt}"`, 'invalid');
    }
  }
  return out;
}
