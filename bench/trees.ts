// The layer explorer's figures on a three-layer image of 20k files, built here:
//   trees cold (no cache anywhere), from the on-disk cache (a new process), and from memory,
//   beside `find -printf` listing the same layer directories (the bare cost of walking them);
//   and, in a real pty, Enter on the image in the explorer → its tree on screen, beside the
//   images pane appearing after its key in the same session.
// Run as root after `node scripts/build.mjs`: node --import tsx bench/trees.ts
// Writes the "Layer trees" section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../source/engine/engine.js';
import type { TarEntry } from '../test/engine/layers/tar-fixtures.js';
import { importLayered } from '../test/engine/layers/trees/layered-image.js';
import { PtyScreen } from '../test/tui/pty-screen.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const repo = path.resolve(import.meta.dirname, '..');
const CLI = path.join(repo, 'dist/strata.js');
const REF = 'bench/trees:20k';
const RUNS = 7;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-trees-'));
const root = path.join(work, 'root');
const runtimeDir = path.join(work, 'run');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** 16k files in 400 directories; 3k written (half over existing files), 300 whited out, a directory removed; 1k more and an opaque directory. */
function layers() {
  const dir = (name: string): TarEntry => ({ name: `${name}/`, type: 'directory', mode: 0o755 });
  const file = (name: string, size: number): TarEntry => ({ name, data: Buffer.alloc(size, 0x61) });
  const base: TarEntry[] = [dir('usr')];
  for (let d = 0; d < 400; d++) {
    base.push(dir(`usr/d${d}`));
    for (let f = 0; f < 40; f++) base.push(file(`usr/d${d}/f${f}`, 64 + ((d * 40 + f) % 97)));
  }
  const change: TarEntry[] = [dir('usr'), dir('opt'), { name: 'usr/.wh.d399', data: '' }];
  for (let d = 0; d < 75; d++) {
    change.push(dir(`usr/d${d}`));
    for (let f = 0; f < 20; f++) change.push(file(`usr/d${d}/f${f}`, 200));
    for (let f = 0; f < 4; f++) change.push({ name: `usr/d${d}/.wh.f${30 + f}`, data: '' });
  }
  for (let f = 0; f < 1500; f++) change.push(file(`opt/n${f}`, 128));
  const top: TarEntry[] = [dir('usr'), dir('usr/d0'), { name: 'usr/d0/.wh..wh..opq', data: '' }, file('usr/d0/only', 10), dir('srv')];
  for (let f = 0; f < 1000; f++) top.push(file(`srv/s${f}`, 90));
  return [
    { instruction: 'ADD rootfs.tar /', entries: base },
    { instruction: '/bin/sh -c change things', entries: change },
    { instruction: '/bin/sh -c add srv', entries: top },
  ];
}

async function treesOnce(engine: Engine, top: number): Promise<number> {
  const started = performance.now();
  await engine.analyseLayers({ image: REF });
  await engine.layerTree({ image: REF }, top, 'layer');
  await engine.layerTree({ image: REF }, top, 'merged');
  return performance.now() - started;
}

function cacheFiles(chainIds: string[]): string[] {
  return chainIds.map((c) => path.join(root, 'layers', c.slice('sha256:'.length), 'tree.json'));
}

function openTui(): PtyScreen {
  return new PtyScreen(process.execPath, [CLI, '--root', root, '--runtime-dir', runtimeDir], { cols: 140, rows: 45, cwd: repo, env: { XDG_CONFIG_HOME: path.join(work, 'config') } });
}

/** One fresh TUI: Enter on the image in the explorer → the tree; then `2` → the images pane (the peer). */
async function explorerOpen(): Promise<{ images: number; tree: number }> {
  const screen = openTui();
  try {
    await screen.when((t) => t.includes('no containers'), 60_000);
    screen.write('5');
    await screen.when((t) => /image\s+bench\/trees:20k/.test(t), 20_000);
    await sleep(300);
    let at = performance.now();
    screen.write('\r');
    const tree = (await screen.when((t) => /A -rw-r--r-- +90B +s0\b/.test(t), 20_000)) - at;
    await sleep(300);
    at = performance.now();
    screen.write('2');
    const images = (await screen.when((t) => /bench\/trees:20k\s+[0-9a-f]{12}/.test(t), 20_000)) - at;
    return { images, tree };
  } finally {
    screen.write('q');
    await Promise.race([screen.exited, sleep(3000)]);
    screen.kill();
  }
}

async function main(): Promise<void> {
  const builder = new Engine({ root, runtimeDir });
  const record = await importLayered(builder, REF, layers());
  await builder.close();
  const dirs = record.chainIds.map((c) => path.join(root, 'layers', c.slice('sha256:'.length), 'diff'));
  const top = record.chainIds.length - 1;
  const files = Number(spawnSync('sh', ['-c', `find ${dirs.join(' ')} | wc -l`], { encoding: 'utf8' }).stdout.trim());

  const peer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const at = performance.now();
    spawnSync('find', [...dirs, '-printf', '%s %p\\n'], { stdio: ['ignore', 'ignore', 'inherit'] });
    peer.push(performance.now() - at);
  }
  const cold: number[] = [];
  const disk: number[] = [];
  const memory: number[] = [];
  const otherLayer: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const f of cacheFiles(record.chainIds)) fs.rmSync(f, { force: true });
    const engine = new Engine({ root, runtimeDir });
    cold.push(await treesOnce(engine, top));
    memory.push(await treesOnce(engine, top));
    const at = performance.now();
    await engine.layerTree({ image: REF }, 1, 'layer');
    await engine.layerTree({ image: REF }, 1, 'merged');
    otherLayer.push(performance.now() - at);
    await engine.close();
    await sleep(500); // the cache files are written a moment after the first answer
    const again = new Engine({ root, runtimeDir });
    disk.push(await treesOnce(again, top));
    await again.close();
  }

  const tuiCold: number[] = [];
  const tuiDisk: number[] = [];
  const imagesPane: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const f of cacheFiles(record.chainIds)) fs.rmSync(f, { force: true });
    const c = await explorerOpen();
    tuiCold.push(c.tree);
    imagesPane.push(c.images);
    const d = await explorerOpen();
    tuiDisk.push(d.tree);
    imagesPane.push(d.images);
  }

  const p = median(peer);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = [
    `| trees cold (no cache: walk + merge + waste + both views of the top layer) | ${ms(median(cold))} | ${(median(cold) / p).toFixed(2)}× find | < 500 ms |`,
    `| trees from the on-disk cache (new engine) | ${ms(median(disk))} | ${(median(disk) / p).toFixed(2)}× find | — |`,
    `| trees cached in memory (same engine) | ${ms(median(memory))} | ${(median(memory) / p).toFixed(2)}× find | < 50 ms |`,
    `| another layer's two views, same engine (merged trees cached, views built) | ${ms(median(otherLayer))} | ${(median(otherLayer) / p).toFixed(2)}× find | < 50 ms |`,
    `| peer: \`find <3 layer dirs> -printf '%s %p\\n'\` | ${ms(p)} | 1.00× | — |`,
    `| TUI: Enter in the explorer → tree on screen, cold (fresh process, no cache) | ${ms(median(tuiCold))} | ${(median(tuiCold) / median(imagesPane)).toFixed(2)}× images pane | < 500 ms |`,
    `| TUI: Enter in the explorer → tree on screen, on-disk cache (fresh process) | ${ms(median(tuiDisk))} | ${(median(tuiDisk) / median(imagesPane)).toFixed(2)}× images pane | < 500 ms |`,
    `| peer: \`2\` → images pane on screen (same sessions) | ${ms(median(imagesPane))} | 1.00× | — |`,
  ];
  const section = [
    '## Layer trees (`node --import tsx bench/trees.ts`, bench/trees.ts)',
    '',
    `A three-layer image of ${files} entries (16k files in 400 directories; 3k files written again, 300 whited`,
    'out, a 40-file directory removed; 1k files added and an opaque directory), medians of ' + RUNS + ' runs (TUI: 3);',
    `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)} when the run ended (other work on the machine slows every row, the peers too).`,
    '',
    '| what | time | ratio | goal |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  console.log(section);
  const resultsFile = path.join(repo, 'bench/RESULTS.md');
  const text = fs.readFileSync(resultsFile, 'utf8');
  const start = text.indexOf('## Layer trees');
  let next = start === -1 ? -1 : text.indexOf('\n## ', start + 1);
  if (next !== -1) next += 1;
  fs.writeFileSync(resultsFile, start === -1 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${text.slice(next)}`}`);
}

try {
  await main();
} finally {
  await releaseNetworksUnder(work); // this run's bridges and nft tables
  fs.rmSync(work, { recursive: true, force: true });
}
