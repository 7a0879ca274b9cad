// POST /build (the context as a tar body, docker's JSON stream of the classic builder: "Step
// 1/3 : …", " ---> id", aux ID, "Successfully built/tagged"), /build/prune and /commit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildEvent, BuildOptions } from '../../engine/api.js';
import { shortId } from '../../engine/docker-shape/command.js';
import { withDefaultTag } from '../../engine/format/image-ref.js';
import { type Call, flag } from '../call.js';
import { badRequest } from '../errors.js';
import { JsonStream } from '../json-stream.js';
import type { Routes } from '../router.js';

export function registerBuild(r: Routes): void {
  r.on('POST', '/build', build);
  r.on('POST', '/build/prune', async (call) => {
    const pruned = await call.engine.pruneBuildCache();
    return { CachesDeleted: pruned.images, SpaceReclaimed: pruned.reclaimedBytes };
  });
  r.on('POST', '/commit', async (call) => {
    const container = call.query.get('container');
    if (!container) throw badRequest('container is required');
    const repo = call.query.get('repo');
    const tag = call.query.get('tag');
    const target = repo ? `${repo}:${tag || 'latest'}` : undefined;
    const message = call.query.get('comment');
    const author = call.query.get('author');
    const image = await call.engine.commitContainer(container, target, {
      ...(message ? { message } : {}), ...(author ? { author } : {}),
      changes: call.query.getAll('changes').flatMap((c) => c.split('\n')).filter(Boolean), pause: flag(call, 'pause', true),
    });
    call.reply.json(201, { Id: image.id });
  });
}

function jsonQuery(call: Call, name: string): Record<string, string> | undefined {
  const raw = call.query.get(name);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Record<string, string | null>;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as Record<string, string>;
  } catch {
    throw badRequest(`invalid ${name}: ${raw}`);
  }
}

async function build(call: Call): Promise<void> {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-api-build-'));
  try {
    await extractContext(call, context);
    const quiet = flag(call, 'q');
    const stream = new JsonStream(call);
    const dockerfile = call.query.get('dockerfile') || 'Dockerfile';
    const resolved = path.resolve(context, dockerfile);
    if (!resolved.startsWith(context + path.sep)) throw badRequest(`the Dockerfile (${dockerfile}) must be within the build context`);
    const opts: BuildOptions = { context, dockerfile: resolved, tags: call.query.getAll('t'), noCache: flag(call, 'nocache'), pull: flag(call, 'pull') };
    const buildArgs = jsonQuery(call, 'buildargs');
    if (buildArgs) opts.buildArgs = buildArgs;
    const labels = jsonQuery(call, 'labels');
    if (labels) opts.labels = labels;
    const target = call.query.get('target');
    if (target) opts.target = target;
    const network = call.query.get('networkmode');
    if (network && network !== 'default') opts.network = network;
    const platform = call.query.get('platform');
    if (platform) opts.platform = platform;
    const hosts = call.query.get('extrahosts');
    if (hosts) opts.extraHosts = hosts.split(',');
    if (!quiet) opts.onEvent = (e) => { for (const line of buildLines(e)) stream.write({ stream: line }); };
    try {
      const result = await call.engine.build(opts);
      stream.write({ aux: { ID: result.imageId } });
      if (quiet) stream.write({ stream: `${result.imageId}\n` });
      else {
        stream.write({ stream: `Successfully built ${shortId(result.imageId)}\n` });
        for (const t of result.tags) stream.write({ stream: `Successfully tagged ${withDefaultTag(t)}\n` });
      }
    } catch (err) {
      stream.error(err);
    }
    stream.end();
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

function buildLines(e: BuildEvent): string[] {
  switch (e.type) {
    case 'step': return [`Step ${e.step}/${e.total} : ${e.text}\n`];
    case 'cached': return [' ---> Using cache\n', ` ---> ${shortId(e.imageId)}\n`];
    case 'running': return [` ---> Running in ${shortId(e.containerId)}\n`];
    case 'output': return [e.text];
    case 'step-done': return e.cached ? [] : [` ---> ${shortId(e.imageId)}\n`];
    case 'warning': return [`[WARNING]: ${e.message}\n`];
    case 'done': return [];
  }
}

// GNU tar drops members that would land outside the directory (absolute names, "..") itself.
async function extractContext(call: Call, dir: string): Promise<void> {
  const tar = spawn('tar', ['-x', '-C', dir, '--no-same-owner', '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  tar.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  tar.stdin.on('error', () => undefined);
  const done = new Promise<number>((resolve) => tar.once('close', (code) => resolve(code ?? 1)));
  for await (const chunk of call.body) {
    if (!tar.stdin.write(chunk)) await new Promise((resolve) => tar.stdin.once('drain', resolve));
  }
  tar.stdin.end();
  if ((await done) !== 0) throw badRequest(`the build context is not a tar archive: ${stderr.trim().split('\n')[0] ?? ''}`);
}
