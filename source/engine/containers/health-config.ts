// The health check a container runs: the image's HEALTHCHECK with the fields --health-* give
// replaced (docker's merge), none for NONE (--no-healthcheck) or a test-less result.
import type { HealthConfig, RestartPolicy } from '../api.js';
import { EngineError } from '../errors.js';

export function containerHealthcheck(image: HealthConfig | undefined, given: HealthConfig | undefined): HealthConfig | undefined {
  const merged: HealthConfig = { ...(image ?? { Test: [] }) };
  if (given) {
    if (given.Test.length > 0) merged.Test = given.Test;
    for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
      if (given[key]) merged[key] = given[key];
    }
  }
  if (merged.Test.length === 0 || merged.Test[0] === 'NONE') return undefined;
  return merged;
}

/** Refuses what docker refuses of --restart at create. */
export function validateRestartPolicy(policy: RestartPolicy | undefined, autoRemove: boolean): void {
  if (!policy || policy.name === 'no') return;
  if (autoRemove) throw new EngineError('Conflicting options: cannot specify both --restart and --rm', 'invalid');
  if (policy.maximumRetryCount < 0) throw new EngineError('invalid restart policy: maximum retry count cannot be negative', 'invalid');
  if (policy.maximumRetryCount > 0 && policy.name !== 'on-failure') {
    throw new EngineError(`invalid restart policy: maximum retry count can only be used with 'on-failure'`, 'invalid');
  }
}
