// strata inspect: docker-shaped JSON for containers and images, or a Go template per object.
import path from 'node:path';
import { type CommandSpec, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import type { ContainerRecord, EngineApi } from '../engine/api.js';
import { containerInspect } from '../engine/docker-shape/container-inspect.js';
import { imageInspect } from '../engine/docker-shape/image-inspect.js';
import { checkTemplate, renderTemplate } from './format/template.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'inspect',
  usage: '[OPTIONS] NAME|ID [NAME|ID...]',
  summary: SUMMARIES.inspect,
  flags: [
    { long: 'format', short: 'f', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" },
    { long: 'type', kind: 'string', help: 'Only inspect objects of the given type (container, image)' },
    { long: 'size', short: 's', kind: 'bool', help: 'Display total file sizes if the type is container', hidden: true },
  ],
  minArgs: 1,
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const type = flagString(parsed, 'type');
  if (type !== undefined && type !== 'container' && type !== 'image') {
    throw new CliError(`invalid argument "${type}" for "--type" flag: must be container or image`);
  }
  const format = flagString(parsed, 'format');
  if (format && format !== 'json') checkTemplate(format);

  const engine = await ctx.engine();
  const root = path.resolve(ctx.globals.root);
  const found: object[] = [];
  const missing: string[] = [];
  for (const ref of parsed.args) {
    let object: object | undefined;
    if (type !== 'image') {
      const record = await engine.inspectContainer(ref).catch(notFoundAsUndefined);
      if (record) object = containerInspect(record, { root, imageChainIds: await imageLayers(engine, record) });
    }
    if (!object && type !== 'container') object = await engine.inspectImage(ref).then((i) => imageInspect(i, root), notFoundAsUndefined);
    if (object) found.push(object);
    else missing.push(ref);
  }

  if (format && format !== 'json') {
    ctx.stdout.write(found.map((o) => `${renderTemplate(format, o)}\n`).join(''));
  } else {
    ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  }
  for (const ref of missing) ctx.stderr.write(`strata: No such ${type ?? 'object'}: ${ref}\n`);
  return missing.length ? EXIT_VERB_FAILED : 0;
};

// The layers GraphDriver.LowerDir names; an image removed under the container leaves them out.
async function imageLayers(engine: EngineApi, record: ContainerRecord): Promise<string[] | undefined> {
  return engine.inspectImage(record.config.imageId).then((i) => i.chainIds, notFoundAsUndefined);
}

function notFoundAsUndefined(err: unknown): undefined {
  if ((err as { code?: string }).code === 'not-found') return undefined;
  throw err;
}
