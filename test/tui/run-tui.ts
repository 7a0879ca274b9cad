// Opens the TUI on a real engine: `node --import tsx test/tui/run-tui.ts --root R --runtime-dir D`.
// Stands in for `strata` with no verb until the CLI opens the TUI itself.
import { Engine } from '../../source/engine/engine.js';
import { runTui } from '../../source/tui/index.js';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at !== -1 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const engine = new Engine({ root: flag('--root', '/var/lib/strata'), runtimeDir: flag('--runtime-dir', '/run/strata') });
try {
  await runTui(engine, { refreshMs: Number(flag('--refresh-ms', '1000')) });
} finally {
  await engine.close();
}
