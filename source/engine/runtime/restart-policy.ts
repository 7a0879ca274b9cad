// The restart policy as the monitor applies it (spec keys `restart`, `restart_max`,
// `restart_file`, `stop_file`), and which containers `system boot` starts again.
import type { ContainerRecord, RestartBackoff, RestartPolicy } from '../api.js';
import type { SpecEntries } from './monitor-protocol.js';

export interface RestartFiles {
  restartFile: string;
  stopFile: string;
  policyFile: string; // `update --restart` writes the new policy here for the running monitor
}

// Every container gets the files, even with no policy: `update --restart` may give it one while it runs.
export function restartEntries(record: ContainerRecord, files: RestartFiles, backoff?: RestartBackoff): SpecEntries {
  const policy = record.hostConfig.restartPolicy ?? { name: 'no', maximumRetryCount: 0 };
  const tuning: SpecEntries = backoff ? [['restart_delay_ms', String(backoff.firstMs)], ['restart_max_delay_ms', String(backoff.maxMs)]] : [];
  return [
    ...tuning,
    ['restart', policy.name],
    ['restart_max', String(policy.maximumRetryCount)],
    ['restart_file', files.restartFile],
    ['stop_file', files.stopFile],
    ['restart_policy_file', files.policyFile],
  ];
}

/** The policy file's text, as the monitor reads it (native/shim/restart.c). */
export function restartPolicyFileText(policy: RestartPolicy): string {
  return `${policy.name} ${policy.maximumRetryCount}\n`;
}

/** docker's boot: `always`, and `unless-stopped` unless the user stopped it. */
export function startsAtBoot(record: ContainerRecord): boolean {
  const name = record.hostConfig.restartPolicy?.name;
  return name === 'always' || (name === 'unless-stopped' && !record.manuallyStopped);
}
