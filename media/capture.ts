// Saves a picture of each TUI pane into media/: a throw-away store with the demo image, a
// three-layer image for the explorer and two busy containers, the real TUI in a pty, keys
// pressed as a user would.
// Run as root: node --import tsx media/capture.ts
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { importLayered, threeLayerSpecs } from '../test/engine/layers/trees/layered-image.js';
import { IMAGE, makeTestEngine } from '../test/support/test-engine.js';
import type { PtyScreen } from '../test/tui/pty-screen.js';
import { openStrataTui } from '../test/tui/strata-tui.js';
import { terminalSvg } from './terminal-svg.js';

const repo = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const t = await makeTestEngine();
let screen: PtyScreen | undefined;
const context = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-media-build-'));
try {
  await t.engine.runContainer({ image: IMAGE, name: 'web', cmd: ['sh', '-c', 'n=0; while :; do n=$((n+1)); echo "GET /index.html 200 $n"; [ $((n % 5)) = 0 ] && echo "warning: slow request $n" >&2; sleep 0.4; done'] });
  await t.engine.runContainer({ image: IMAGE, name: 'worker', cmd: ['sh', '-c', 'n=0; while :; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; n=$((n+1)); echo "batch $n done"; sleep 0.5; done'] });
  await t.engine.runContainer({ image: IMAGE, name: 'once', cmd: ['sh', '-c', 'exit 3'] });
  await importLayered(t.engine, 'demo/layered:1', threeLayerSpecs());
  fs.writeFileSync(path.join(context, 'Dockerfile'), `FROM ${IMAGE}\nRUN echo compiling; echo done > /built.txt\nCOPY notes.txt /notes.txt\nCMD ["cat", "/notes.txt"]\n`);
  fs.writeFileSync(path.join(context, 'notes.txt'), 'built in the TUI\n');
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

  // The layer explorer on the three-layer image, stepped into its second layer.
  // 5 opens the image selected in the images pane, or a picker when there is none yet.
  await screen.press('5');
  const opened = await screen.waitFor(/Layer explorer: pick|demo\/layered:1  ·/);
  if (opened.includes('Layer explorer: pick')) {
    const picker = opened.split('\n');
    const first = picker.findIndex((l) => /KIND\s+NAME/.test(l)) + 1;
    const down = picker.slice(first).findIndex((l) => l.includes('demo/layered:1'));
    await screen.press(...Array(Math.max(down, 0)).fill('j'), '\r');
  }
  await screen.waitFor(/A\s+\S+\s+\S+\s+▾?\s*fresh/);
  await screen.press('\t', 'k', '\t');
  await screen.waitFor(/A -rw-r--r-- +40B +new/);
  await sleep(300);
  await shot('layers');

  // A build started from the Build pane's form.
  await screen.press('\x1b', '6', 'b');
  await screen.waitFor('Build an image');
  await screen.press('\x15', ...context, '\t', '\t', ...'demo/built:1', '\r');
  await screen.waitFor('Successfully tagged', 60_000);
  await sleep(300);
  await shot('build');

  // A shell in the web container, in a pane under the live list; exit closes it.
  await screen.press('1');
  await screen.waitFor('NAME↑');
  await screen.press('g', 'j');
  await sleep(200);
  await screen.press('e');
  await screen.waitFor('/ #', 10_000);
  await screen.press(...'ps -o pid,args', '\r');
  await screen.waitFor(/GET|while/);
  await sleep(300);
  await shot('shell');
  await screen.press(...'exit', '\r');
  await screen.waitFor('NAME↑', 10_000);
  screen.write('q');
  await Promise.race([screen.exited, sleep(5000)]);
} finally {
  screen?.kill();
  await t.cleanup();
  fs.rmSync(context, { recursive: true, force: true });
}
