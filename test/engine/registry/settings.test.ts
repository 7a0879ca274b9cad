// The registry settings read from strata's config file: insecure registries and the transfer
// timeouts, with docker-like defaults when the file says nothing or nonsense.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { defaultRegistrySettings } from '../../../source/engine/registry/settings.js';

function settingsWith(config: unknown) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-settings-'));
  try {
    fs.mkdirSync(path.join(home, 'strata-nodejs'));
    fs.writeFileSync(path.join(home, 'strata-nodejs', 'config.json'), JSON.stringify(config));
    return defaultRegistrySettings({ XDG_CONFIG_HOME: home });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

describe('registry settings', () => {
  it('reads the timeouts from "registry" in the config file', () => {
    const s = settingsWith({ insecureRegistries: ['reg:5000'], registry: { connectTimeoutMs: 1500, idleTimeoutMs: 4000 } });
    assert.deepEqual(s.insecure, ['reg:5000']);
    assert.deepEqual(s.timeouts, { connectMs: 1500, idleMs: 4000 });
  });

  it('keeps the defaults for missing or nonsense values', () => {
    assert.deepEqual(settingsWith({}).timeouts, { connectMs: 30_000, idleMs: 30_000 });
    assert.deepEqual(settingsWith({ registry: { connectTimeoutMs: -1, idleTimeoutMs: 'soon' } }).timeouts, { connectMs: 30_000, idleMs: 30_000 });
  });
});
