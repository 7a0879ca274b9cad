// Opens the TUI on a throw-away store with real containers (root): for looking at the screens
// while working on them. `node --import tsx test/tui/dev-tui.ts`; DEV_CONTAINERS=500 for more
// (created, plus every tenth one running); everything is removed on quit.
import { runTui } from '../../source/tui/index.js';
import { IMAGE, makeTestEngine } from '../support/test-engine.js';

const t = await makeTestEngine();
try {
  const count = Number(process.env.DEV_CONTAINERS ?? 20);
  for (let i = 0; i < count; i++) {
    const name = `web-${String(i).padStart(3, '0')}`;
    if (i % 10 === 0) await t.engine.runContainer({ image: IMAGE, name, cmd: ['sh', '-c', 'n=0; while :; do n=$((n+1)); echo "tick $n"; [ $((n % 5)) = 0 ] && echo "warn $n" >&2; sleep 0.2; done'] });
    else await t.engine.createContainer({ image: IMAGE, name, cmd: ['sleep', '300'] });
  }
  await runTui(t.engine, { overrides: { refreshMs: 1000 } });
} finally {
  await t.cleanup();
}
