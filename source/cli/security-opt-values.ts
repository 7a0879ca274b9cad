// --security-opt as docker's CLI reads it before the daemon sees it: every option but
// no-new-privileges needs a value, and seccomp=FILE is sent as the profile's compact JSON.
import fs from 'node:fs';
import { CliError } from './errors.js';

export function readSecurityOpts(opts: string[]): string[] {
  return opts.map((opt) => {
    let at = opt.indexOf('=');
    if (at < 0 && opt !== 'no-new-privileges') at = opt.indexOf(':');
    const key = at < 0 ? opt : opt.slice(0, at);
    const value = at < 0 ? '' : opt.slice(at + 1);
    if (value === '' && key !== 'no-new-privileges') throw new CliError(`Invalid --security-opt: "${opt}"`);
    if (key !== 'seccomp' || value === 'unconfined' || value === 'builtin') return opt;
    let text: string;
    try {
      text = fs.readFileSync(value, 'utf8');
    } catch (err) {
      throw new CliError(`opening seccomp profile (${value}) failed: ${(err as Error).message}`);
    }
    try {
      return `seccomp=${JSON.stringify(JSON.parse(text))}`;
    } catch (err) {
      throw new CliError(`compacting json for seccomp profile (${value}) failed: ${(err as Error).message}`);
    }
  });
}
