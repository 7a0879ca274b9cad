// docker's `images --filter`: label (key or key=value, all must hold), before/since (an image),
// reference (path.Match globs over name:tag and name, OR), dangling and until; AND across keys.
import type { EngineApi, ImageSummary } from '../engine/api.js';
import { readFilterFlags } from './filter-flags.js';
import { CliError, EXIT_VERB_FAILED } from './errors.js';
import { parseTimeArg } from './values.js';

const KEYS = ['label', 'before', 'since', 'reference', 'dangling', 'until'];

export type ImageFilters = Map<string, string[]>;

/** Parses and checks `--filter key=value` flags before anything is read. */
export function parseImageFilters(raw: string[]): ImageFilters {
  const filters: ImageFilters = readFilterFlags(raw, KEYS);
  for (const value of filters.get('dangling') ?? []) if (!/^(true|false|1|0)$/i.test(value)) throw new CliError(`invalid filter 'dangling=${value}'`, EXIT_VERB_FAILED);
  for (const value of filters.get('until') ?? []) parseTimeArg(value, 'until');
  if ((filters.get('dangling')?.length ?? 0) > 1) throw new CliError("invalid filter 'dangling': only one value is allowed", EXIT_VERB_FAILED);
  return filters;
}

// Go's path.Match: `*` and `?` stay within one path segment
function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** docker's reference.FamiliarMatch: the pattern against "name:tag", then against the name. */
export function referenceMatcher(patterns: string[]): (repoTag: string) => boolean {
  const res = patterns.map(globPattern);
  return (tag) => res.some((re) => re.test(tag) || re.test(tag.slice(0, tag.lastIndexOf(':'))));
}

async function createdOf(engine: EngineApi, ref: string): Promise<number> {
  const image = await engine.inspectImage(ref);
  return Date.parse(image.created);
}

/** The images that pass every filter, each keeping only the tags a reference filter matched. */
export async function applyImageFilters(images: ImageSummary[], filters: ImageFilters, engine: EngineApi): Promise<ImageSummary[]> {
  let out = images;
  const dangling = filters.get('dangling')?.[0];
  if (dangling !== undefined) out = out.filter((img) => (img.repoTags.length === 0) === /^(true|1)$/i.test(dangling));
  for (const ref of filters.get('before') ?? []) {
    const t = await createdOf(engine, ref);
    out = out.filter((img) => Date.parse(img.created) < t);
  }
  for (const ref of filters.get('since') ?? []) {
    const t = await createdOf(engine, ref);
    out = out.filter((img) => Date.parse(img.created) > t);
  }
  for (const until of filters.get('until') ?? []) {
    const t = parseTimeArg(until, 'until').getTime();
    out = out.filter((img) => Date.parse(img.created) < t);
  }
  const references = filters.get('reference');
  if (references) {
    const match = referenceMatcher(references);
    out = out.map((img) => ({ ...img, repoTags: img.repoTags.filter(match) })).filter((img) => img.repoTags.length > 0);
  }
  const labels = filters.get('label');
  if (labels) {
    const kept: ImageSummary[] = [];
    for (const img of out) {
      const have = (await engine.inspectImage(img.id)).config.Labels ?? {};
      if (labels.every((l) => (l.includes('=') ? have[l.slice(0, l.indexOf('='))] === l.slice(l.indexOf('=') + 1) : Object.hasOwn(have, l)))) kept.push(img);
    }
    out = kept;
  }
  return out;
}
