// Puts an image into a registry straight through the distribution API (monolithic uploads and
// a manifest PUT), for tests that need a multi-layer image of a given shape without a builder.
import crypto from 'node:crypto';
import zlib from 'node:zlib';

function sha256(data: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

async function upload(host: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await fetch(`http://${host}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start: ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, `http://${host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: new Uint8Array(data), headers: { 'Content-Type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
  return digest;
}

/** Pushes gzip-compressed layers (given as plain tars), an OCI config and manifest; returns the manifest digest. */
export async function pushRawImage(host: string, name: string, tag: string, tars: Buffer[]): Promise<string> {
  const layers = [];
  for (const tar of tars) {
    const gz = zlib.gzipSync(tar, { level: 1 });
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await upload(host, name, gz), size: gz.length });
  }
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: tars.map(sha256) },
    history: tars.map((_, i) => ({ created_by: `layer ${i}` })),
  }));
  const configDesc = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await upload(host, name, config), size: config.length };
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: configDesc, layers }));
  const put = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, { method: 'PUT', body: new Uint8Array(manifest), headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (put.status !== 201) throw new Error(`manifest: ${put.status} ${await put.text()}`);
  return sha256(manifest);
}
