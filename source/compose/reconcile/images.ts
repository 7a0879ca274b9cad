// The images a project's services run: built where the service says how and the image is
// missing (or --build), pulled where it is missing (or pull_policy: always).
import type { EngineApi } from '../../engine/api.js';
import { ComposeError } from '../model/errors.js';
import { serviceImage } from '../model/normalize.js';
import type { ComposeProject, ComposeService } from '../model/types.js';
import type { OnProgress } from './progress.js';

export interface ImageOptions {
  build?: boolean; // --build: build every service that has a build section
  noBuild?: boolean;
  pull?: 'always' | 'missing' | 'never';
}

async function present(engine: EngineApi, ref: string): Promise<boolean> {
  try {
    await engine.inspectImage(ref);
    return true;
  } catch {
    return false;
  }
}

export async function buildService(engine: EngineApi, project: ComposeProject, service: ComposeService, onProgress: OnProgress, onOutput?: (text: string) => void): Promise<void> {
  const image = serviceImage(project.name, service);
  const build = service.build!;
  onProgress({ kind: 'Image', name: image, action: 'Building', done: false });
  await engine.build({
    context: build.context,
    ...(build.dockerfile ? { dockerfile: build.dockerfile.startsWith('/') ? build.dockerfile : `${build.context}/${build.dockerfile}` } : {}),
    tags: [image],
    buildArgs: build.args,
    ...(build.target ? { target: build.target } : {}),
    labels: { ...build.labels, 'com.docker.compose.project': project.name, 'com.docker.compose.service': service.name },
    ...(build.noCache ? { noCache: true } : {}),
    ...(onOutput ? { onEvent: (e) => {
      if (e.type === 'step') onOutput(`#${e.step} [${service.name}] ${e.text}\n`);
      else if (e.type === 'output') onOutput(e.text);
    } } : {}),
  });
  onProgress({ kind: 'Image', name: image, action: 'Built', done: true });
}

export async function ensureImages(engine: EngineApi, project: ComposeProject, services: ComposeService[], options: ImageOptions, onProgress: OnProgress): Promise<void> {
  for (const service of services) {
    const image = serviceImage(project.name, service);
    const policy = options.pull ?? service.pullPolicy;
    const have = await present(engine, image);
    if (service.build && !options.noBuild && (options.build || policy === 'build' || !have)) {
      await buildService(engine, project, service, onProgress);
      continue;
    }
    if (policy === 'always' || (!have && policy !== 'never')) {
      if (!service.image) throw new ComposeError(`service "${service.name}" has no image to pull and its build was skipped`);
      onProgress({ kind: 'Image', name: image, action: 'Pulling', done: false });
      await engine.pullImage(image);
      onProgress({ kind: 'Image', name: image, action: 'Pulled', done: true });
    } else if (!have) {
      throw new ComposeError(`service "${service.name}": image ${image} not found and pull_policy is never`);
    }
  }
}
