// Networking figures, each beside its peer measured in this same run:
//  - TCP throughput host → container through a published port (nft DNAT on 127.0.0.1) vs
//    straight to the container's address (goal ≥ 0.8×);
//  - container start (create + start, in process) on the bridge vs --network none (goal ≤ +15 ms),
//    with the bridge already up and cold (bridge and nft table made first, after a release).
// Run as root: `node --import tsx bench/network.ts`. Prints a markdown table for bench/RESULTS.md.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../source/engine/engine.js';
import { busyboxRootfsTar } from '../source/engine/demo.js';
import { releaseNetworksUnder } from '../test/support/test-engine.js';

const IMAGE = 'bench/busybox:latest';
const MB = 1024 * 1024;
const SEND_MB = Number(process.env.SEND_MB ?? 256);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const STARTS = Number(process.env.STARTS ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Sends SEND_MB to host:port and resolves with MB/s once the receiver has closed. */
function send(host: string, port: number): Promise<number> {
  const chunk = Buffer.alloc(MB, 0x61);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const sock = net.connect({ host, port });
    let sent = 0;
    const pump = () => {
      while (sent < SEND_MB) {
        sent++;
        if (!sock.write(chunk)) return void sock.once('drain', pump);
      }
      sock.end();
    };
    sock.on('connect', pump);
    sock.on('error', reject);
    sock.on('close', () => resolve(SEND_MB / (Number(process.hrtime.bigint() - started) / 1e9)));
    sock.resume();
  });
}

async function waitListening(host: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port }, () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${host}:${port}`);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-bench-net-'));
  const engine = new Engine({ root: path.join(work, 'root'), runtimeDir: path.join(work, 'run') });
  const rows: string[] = [];
  try {
    await engine.importImage(busyboxRootfsTar(), IMAGE, { changes: ['CMD ["sh"]'] });

    // ---- throughput: a sink that takes one connection after another ----------------------
    const { record } = await engine.runContainer({
      // busybox nc hangs up when its own stdin ends: -e gives each connection a `cat > /dev/null`
      image: IMAGE, name: 'sink', cmd: ['sh', '-c', 'printf "#!/bin/sh\\nexec cat > /dev/null\\n" > /sink && chmod +x /sink && exec nc -ll -p 5001 -e /sink'],
      ports: [{ containerPort: 5001, protocol: 'tcp' }],
    });
    const ip = record.networkSettings!.ipAddress;
    const hostPort = record.networkSettings!.ports[0].hostPort;
    await waitListening(ip, 5001);
    const published: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      direct.push(await send(ip, 5001));
      published.push(await send('127.0.0.1', hostPort));
    }
    const p = median(published);
    const d = median(direct);
    console.log(`throughput: published ${p.toFixed(0)} MB/s, direct ${d.toFixed(0)} MB/s`);
    rows.push(`| TCP host → container, ${SEND_MB} MB via 127.0.0.1:PORT (nft DNAT) | ${p.toFixed(0)} MB/s | ${(p / d).toFixed(2)}× direct | ≥ 0.8× |`);
    rows.push(`| peer: same, straight to the container's address | ${d.toFixed(0)} MB/s | 1.00× | — |`);

    // ---- start time: bridge (warm and cold) vs none --------------------------------------
    const startOnce = async (network: string): Promise<number> => {
      const t0 = process.hrtime.bigint();
      const { record: r } = await engine.runContainer({ image: IMAGE, cmd: ['true'], network });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      await engine.waitContainer(r.id);
      await engine.removeContainer(r.id, true);
      return ms;
    };
    const warm: number[] = [];
    const none: number[] = [];
    for (let i = 0; i < STARTS + 2; i++) {
      const b = await startOnce('bridge');
      const n = await startOnce('none');
      if (i >= 2) { warm.push(b); none.push(n); } // two rounds of warm-up
    }
    await engine.removeContainer('sink', true);
    // cold: the bridge and its table taken down before each start (they stay between containers,
    // like docker0, so a start pays this only on the first container after a prune or a reboot)
    const cold: number[] = [];
    for (let i = 0; i < Math.ceil(STARTS / 3); i++) {
      await engine.releaseIdleNetworks();
      cold.push(await startOnce('bridge'));
    }
    const w = median(warm);
    const n = median(none);
    const c = median(cold);
    console.log(`start: bridge ${w.toFixed(1)} ms, bridge cold ${c.toFixed(1)} ms, none ${n.toFixed(1)} ms`);
    const delta = (x: number) => `${x - n >= 0 ? '+' : '−'}${Math.abs(x - n).toFixed(1)} ms vs none`;
    rows.push(`| container start (create + start, in process), bridge up already | ${w.toFixed(1)} ms | ${delta(w)} | ≤ +15 ms |`);
    rows.push(`| container start, bridge cold (bridge and table made for it) | ${c.toFixed(1)} ms | ${delta(c)} | — |`);
    rows.push(`| peer: container start with --network none | ${n.toFixed(1)} ms | — | — |`);
  } finally {
    for (const c of await engine.listContainers(true)) await engine.removeContainer(c.id, true).catch(() => {});
    await engine.close();
    await releaseNetworksUnder(work); // this run's bridges and nft tables
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n| what | figure | ratio | goal |\n|---|---|---|---|\n${rows.join('\n')}`);
}

await main();
