// Image verbs: import, images, rmi, tag.
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type CommandSpec, type ParsedCommand, flagBool, flagList, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { openInputFile } from './input-file.js';
import { imageRows } from '../engine/docker-shape/list-rows.js';
import { applyImageFilters, parseImageFilters } from './image-filters.js';
import { renderTable } from './format/table.js';
import { IMAGES_HEADER } from './format/headers.js';
import { checkRowFormat, formatRows } from './format/rows.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  import: {
    name: 'import',
    usage: '[OPTIONS] file|- [REPOSITORY[:TAG]]',
    summary: SUMMARIES.import,
    flags: [
      { long: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
      { long: 'message', short: 'm', kind: 'string', help: 'Set commit message for imported image' },
    ],
    minArgs: 1,
    maxArgs: 2,
  },
  images: {
    name: 'images',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    summary: SUMMARIES.images,
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Show all images (default hides intermediate images)' },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
      { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
      { long: 'digests', kind: 'bool', help: 'Show digests' },
      { long: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided (label, before, since, reference, dangling, until)' },
      { long: 'format', kind: 'string', help: "Format output using a custom template: 'table', 'json' or a Go template" },
    ],
    maxArgs: 1,
  },
  rmi: {
    name: 'rmi',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    summary: SUMMARIES.rmi,
    flags: [
      { long: 'force', short: 'f', kind: 'bool', help: 'Force removal of the image' },
      { long: 'no-prune', kind: 'bool', help: 'Do not delete untagged parents', hidden: true },
    ],
    minArgs: 1,
  },
  tag: { name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', summary: SUMMARIES.tag, flags: [], minArgs: 2, maxArgs: 2 },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  if (verb === 'import') return importVerb(parsed, ctx);
  if (verb === 'images') return imagesVerb(parsed, ctx);
  if (verb === 'rmi') return rmiVerb(parsed, ctx);
  const engine = await ctx.engine();
  await engine.tagImage(parsed.args[0], parsed.args[1]);
  return 0;
};

function openSource(source: string, stdin: Readable): Readable {
  if (source === '-') return stdin;
  if (/^https?:\/\//.test(source)) throw new CliError('importing from a URL is not supported; download the tarball first');
  return openInputFile(source);
}

// docker import takes gzip-compressed tarballs as well: sniff the magic bytes and unpack.
function decompressIfGzip(input: Readable): Readable {
  const output = new PassThrough();
  let decided = false;
  input.on('error', (err) => output.destroy(err));
  input.once('readable', function decide() {
    const head: Buffer | null = input.read();
    if (head === null) {
      if (input.readableEnded) output.end();
      else input.once('readable', decide);
      return;
    }
    decided = true;
    const isGzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    input.unshift(head);
    if (isGzip) {
      const gunzip = createGunzip();
      gunzip.on('error', (err) => output.destroy(new CliError(`cannot decompress the tarball: ${err.message}`)));
      input.pipe(gunzip).pipe(output);
    } else {
      input.pipe(output);
    }
  });
  input.once('end', () => {
    if (!decided) output.end();
  });
  return output;
}

async function importVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const [source, ref] = p.args;
  const tar = decompressIfGzip(openSource(source, ctx.stdin));
  const engine = await ctx.engine();
  const record = await engine.importImage(tar, ref, { changes: flagList(p, 'change'), message: flagString(p, 'message') });
  ctx.stdout.write(`${record.id}\n`);
  return 0;
}

function matchesReference(repoTag: string, filter: string): boolean {
  if (filter.includes(':')) return repoTag === filter;
  return repoTag.slice(0, repoTag.lastIndexOf(':')) === filter;
}

async function imagesVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const format = flagString(p, 'format');
  checkRowFormat(format);
  const noTrunc = flagBool(p, 'no-trunc');
  const filters = parseImageFilters(flagList(p, 'filter'));
  const engine = await ctx.engine();
  let images = await engine.listImages(flagBool(p, 'all'));
  images.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  const reference = p.args[0];
  if (reference !== undefined) images = images.filter((img) => img.repoTags.some((t) => matchesReference(t, reference)));
  images = await applyImageFilters(images, filters, engine);

  if (flagBool(p, 'quiet')) {
    const ids = [...new Set(images.map((img) => (noTrunc ? img.id : img.id.replace(/^sha256:/, '').slice(0, 12))))];
    ctx.stdout.write(ids.map((id) => `${id}\n`).join(''));
    return 0;
  }
  let rows = imageRows(images, noTrunc);
  if (reference !== undefined) rows = rows.filter((r) => matchesReference(`${r.Repository}:${r.Tag}`, reference));
  const digests = flagBool(p, 'digests');
  ctx.stdout.write(formatRows(format, rows, () => renderTable(
    ['REPOSITORY', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'],
    rows.map((r) => [r.Repository, r.Tag, ...(digests ? [r.Digest] : []), r.ID, r.CreatedSince, r.Size]),
  ), IMAGES_HEADER));
  return 0;
}

async function rmiVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const engine = await ctx.engine();
  let failure = 0;
  for (const ref of p.args) {
    try {
      const lines = await engine.removeImage(ref, flagBool(p, 'force'));
      ctx.stdout.write(lines.map((l) => `${l}\n`).join(''));
    } catch (err) {
      const e = err as { message?: string };
      ctx.stderr.write(`strata: ${e.message ?? String(err)}\n`);
      failure = EXIT_VERB_FAILED;
    }
  }
  return failure;
}
