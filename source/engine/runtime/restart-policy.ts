// The restart policy as the monitor applies it (spec keys `restart`, `restart_max`,
// `restart_file`, `stop_file`), and which containers `system boot` starts again.
import type { ContainerRecord, RestartBackoff } from '../api.js';
import type { SpecEntries } from './monitor-protocol.js';

export interface RestartFiles {
  restartFile: string;
  stopFile: string;
}

export function restartEntries(record: ContainerRecord, files: RestartFiles, backoff?: RestartBackoff): SpecEntries {
  const policy = record.hostConfig.restartPolicy;
  if (!policy || policy.name === 'no') return [];
  const tuning: SpecEntries = backoff ? [['restart_delay_ms', String(backoff.firstMs)], ['restart_max_delay_ms', String(backoff.maxMs)]] : [];
  return [
    ...tuning,
    ['restart', policy.name],
    ['restart_max', String(policy.maximumRetryCount)],
    ['restart_file', files.restartFile],
    ['stop_file', files.stopFile],
  ];
}

/** docker's boot: `always`, and `unless-stopped` unless the user stopped it. */
export function startsAtBoot(record: ContainerRecord): boolean {
  const name = record.hostConfig.restartPolicy?.name;
  return name === 'always' || (name === 'unless-stopped' && !record.manuallyStopped);
}
