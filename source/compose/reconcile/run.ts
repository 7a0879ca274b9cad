// compose run: a one-off container of a service — its dependencies up first (unless told not
// to), the command, entrypoint, environment, volumes, user and workdir overridden, ports
// published only when asked, labelled oneoff=True and named <project>-<service>-run-<slug>.
import crypto from 'node:crypto';
import type { ContainerRecord, CreateOptions, EngineApi } from '../../engine/api.js';
import { ComposeError } from '../model/errors.js';
import { serviceImage } from '../model/normalize.js';
import type { ComposeProject, ComposeService, LongPort, LongVolume } from '../model/types.js';
import { createOptions } from './create-options.js';
import { ensureImages, type ImageOptions } from './images.js';
import { writeInlineFiles, checkInlineFiles } from './inline-files.js';
import { LABEL } from './labels.js';
import type { OnProgress } from './progress.js';
import { ensureNetworks, ensureVolumes, selectServices, up, waitForDependencies } from './up.js';

export interface RunOverrides extends ImageOptions {
  command?: string[]; // after the service name on the command line
  entrypoint?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  volumes: LongVolume[];
  ports: LongPort[]; // --publish
  servicePorts: boolean; // the service's own ports too
  useAliases: boolean; // the service's names on its network
  workdir?: string;
  user?: string;
  name?: string;
  remove: boolean; // --rm
  noDeps: boolean;
  tty: boolean;
  interactive: boolean;
}

export async function createOneOff(engine: EngineApi, project: ComposeProject, serviceName: string, o: RunOverrides, onProgress: OnProgress): Promise<ContainerRecord> {
  const base = project.services.find((s) => s.name === serviceName);
  if (!base) throw new ComposeError(`no such service: ${serviceName}`);
  if (!o.noDeps) {
    const deps = selectServices(project, [serviceName]).filter((s) => s.name !== serviceName);
    if (deps.length > 0) await up(engine, project, { ...o, services: deps.map((s) => s.name), noDeps: true }, onProgress);
  }
  const service: ComposeService = {
    ...base,
    ...(o.command ? { command: o.command } : {}),
    ...(o.entrypoint ? { entrypoint: o.entrypoint } : {}),
    environment: { ...base.environment, ...o.env },
    labels: { ...base.labels, ...o.labels },
    volumes: [...base.volumes.filter((v) => !o.volumes.some((x) => x.target === v.target)), ...o.volumes],
    ports: [...(o.servicePorts ? base.ports : []), ...o.ports],
    ...(o.workdir ? { workingDir: o.workdir } : {}),
    ...(o.user !== undefined ? { user: o.user } : {}),
    tty: o.tty,
    stdinOpen: o.interactive,
    containerName: o.name ?? `${project.name}-${serviceName}-run-${crypto.randomBytes(6).toString('hex')}`,
    ...(o.remove ? { restart: undefined } : {}), // a container removed at its exit is never restarted
  };
  checkInlineFiles([service]);
  await ensureImages(engine, project, [service], o, onProgress);
  await ensureNetworks(engine, project, [service], onProgress);
  await ensureVolumes(engine, project, [service], onProgress);
  if (!o.noDeps) await waitForDependencies(engine, project, service, onProgress);
  const imageId = (await engine.inspectImage(serviceImage(project.name, service))).id;
  const opts: CreateOptions = createOptions(project, service, 1, imageId);
  if (!o.useAliases) delete opts.networkAliases;
  opts.labels = { ...opts.labels, [LABEL.oneoff]: 'True', [LABEL.slug]: opts.name!.split('-run-')[1] ?? '' };
  if (o.remove) opts.autoRemove = true;
  const record = await engine.createContainer(opts);
  await writeInlineFiles(engine, record.id, service);
  return record;
}
