// A small registry in this process that misbehaves on purpose: each layer is served by a
// handler the test gives (endless bodies, stalls, garbage), the manifest and config are real.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type LayerHandler = (res: http.ServerResponse, sent: { bytes: number }) => void;

export interface HostileLayer {
  size: number; // what the manifest declares
  serve: LayerHandler;
}

export interface HostileRegistry {
  host: string; // 127.0.0.1:PORT
  sent: Array<{ bytes: number }>; // per layer: how many body bytes went out
  stop(): Promise<void>;
}

function sha256(data: Buffer | string): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

/** Serves repository `x`, tag `1`: an OCI image whose layers are the given handlers. */
export async function startHostileRegistry(layers: HostileLayer[], opts: { stallManifest?: boolean } = {}): Promise<HostileRegistry> {
  const layerDigests = layers.map((_, i) => sha256(`hostile layer ${i} ${Math.random()}`));
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((_, i) => sha256(`diff ${i}`)) },
  }));
  const configDigest = sha256(config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: layers.map((l, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigests[i], size: l.size })),
  }));
  const sent = layers.map(() => ({ bytes: 0 }));
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/v2/') return res.end('{}');
    if (url === '/v2/x/manifests/1') {
      if (opts.stallManifest) return; // never answers
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Content-Length': manifest.length });
      return res.end(manifest);
    }
    if (url === `/v2/x/blobs/${configDigest}`) return res.end(config);
    const i = layerDigests.findIndex((d) => url === `/v2/x/blobs/${d}`);
    if (i >= 0) return layers[i].serve(res, sent[i]);
    res.writeHead(404).end();
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A body that never ends: 64 KiB chunks of junk as fast as the client reads them. */
export const endlessBody: LayerHandler = (res, sent) => {
  const chunk = crypto.randomBytes(64 << 10);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const write = () => {
    while (!res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
  };
  res.on('close', () => res.removeAllListeners('drain'));
  write();
};

/** Sends a little, then nothing more, without closing. */
export const stalledBody: LayerHandler = (res, sent) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  sent.bytes += 1000;
  res.write(crypto.randomBytes(1000));
};

/** Never answers at all: no status line, no headers. */
export const stalledHeaders: LayerHandler = () => { /* silence */ };
