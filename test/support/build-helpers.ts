// Helpers of the build tests: a context directory from a file list, a build that collects its
// events and output, and a command run in a built image.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../source/engine/engine.js';
import type { BuildEvent, BuildOptions } from '../../source/engine/build/types.js';
import { runToEnd, type TestEngine } from './test-engine.js';

/** The helpers bound to a test engine made in `before` (hence the getter). */
export function buildHelpers(testEngine: () => TestEngine) {
  return {
    context(name: string, files: Record<string, string>): string {
      const dir = path.join(testEngine().base, 'ctx', name);
      fs.mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      return dir;
    },
    async build(opts: BuildOptions & { engine?: Engine }) {
      const events: BuildEvent[] = [];
      const result = await (opts.engine ?? testEngine().engine).build({ ...opts, onEvent: (e) => events.push(e) });
      return { result, events, output: events.filter((e) => e.type === 'output').map((e) => (e as { text: string }).text).join('') };
    },
    async run(image: string, script: string): Promise<string> {
      const r = await runToEnd(testEngine().engine, ['sh', '-c', script], { image, entrypoint: [] });
      assert.equal(r.exitCode, 0, r.stderr);
      return r.stdout;
    },
  };
}
