// Saves a picture of each TUI pane into media/: a throw-away store with the demo image and
// two busy containers, the real TUI in a pty, keys pressed as a user would.
// Run as root: node --import tsx media/capture.ts
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine } from '../test/support/test-engine.js';
import type { PtyScreen } from '../test/tui/pty-screen.js';
import { openStrataTui } from '../test/tui/strata-tui.js';
import { terminalSvg } from './terminal-svg.js';

const repo = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const t = await makeTestEngine();
let screen: PtyScreen | undefined;
try {
  await t.engine.runContainer({ image: IMAGE, name: 'web', cmd: ['sh', '-c', 'n=0; while :; do n=$((n+1)); echo "GET /index.html 200 $n"; [ $((n % 5)) = 0 ] && echo "warning: slow request $n" >&2; sleep 0.4; done'] });
  await t.engine.runContainer({ image: IMAGE, name: 'worker', cmd: ['sh', '-c', 'n=0; while :; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; n=$((n+1)); echo "batch $n done"; sleep 0.5; done'] });
  await t.engine.runContainer({ image: IMAGE, name: 'once', cmd: ['sh', '-c', 'exit 3'] });
  screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
  const shot = async (name: string) => {
    await screen!.waitFor(() => true);
    fs.writeFileSync(path.join(repo, 'media', `${name}.svg`), terminalSvg(screen!.term));
    console.log(`media/${name}.svg`);
  };
  await screen.waitFor(/worker\s+\S+\s+running/, 20_000);
  await sleep(6000); // a few stats samples
  await shot('containers');
  screen.write('4');
  await sleep(2500);
  await shot('stats');
  screen.write('1');
  await screen.waitFor('NAME↑');
  screen.write('j');
  await sleep(300);
  screen.write('\r');
  await screen.waitFor(/GET \/index\.html/);
  // One key per write, as typed: a single chunk would arrive as one paste.
  for (const key of ['/', 's', 'l', 'o', 'w', '\r']) {
    screen.write(key);
    await sleep(60);
  }
  await sleep(800);
  await shot('logs');
  // A merged view: web and worker marked, each line marked with its container.
  screen.write('\x1b');
  await sleep(200);
  screen.write('1');
  await screen.waitFor('NAME↑');
  for (const key of ['g', 'j', 'm', 'j', 'm', '\r']) {
    screen.write(key);
    await sleep(80);
  }
  await screen.waitFor(/logs \S+ \+ \S+/);
  await sleep(1500);
  await shot('logs-merged');
  screen.write('1');
  await sleep(200);
  screen.write('M');
  await sleep(200);
  screen.write('2');
  await sleep(800);
  await shot('images');
  screen.write('?');
  await sleep(500);
  await shot('help');
  screen.write('\x1b');
  await sleep(300); // Esc and q in one chunk would read as Alt-q
  screen.write('q');
  await Promise.race([screen.exited, sleep(5000)]);
} finally {
  screen?.kill();
  await t.cleanup();
}
