// `system df [-v] [--format]`: docker's summary table (TYPE TOTAL ACTIVE SIZE RECLAIMABLE), or
// with -v the per-image, per-container, per-volume and build-cache tables.
import type { DiskUsage } from '../engine/api.js';
import { type CommandSpec, flagBool, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { psCommand, shortId } from '../engine/docker-shape/command.js';
import { timeAgo } from '../engine/format/duration.js';
import { humanSize } from '../engine/format/size.js';
import { renderTable } from './format/table.js';
import { DISK_USAGE_HEADER } from './format/headers.js';
import { checkRowFormat, formatRows } from './format/rows.js';

const SPEC: CommandSpec = {
  name: 'system df',
  usage: '[OPTIONS]',
  summary: 'Show strata disk usage',
  flags: [
    { long: 'verbose', short: 'v', kind: 'bool', help: 'Show detailed information on space usage' },
    { long: 'format', kind: 'string', help: "Format output using a custom template: 'table', 'json' or a Go template" },
  ],
  maxArgs: 0,
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const format = flagString(parsed, 'format');
  checkRowFormat(format);
  const usage = await (await ctx.engine()).diskUsage();
  const rows = summaryRows(usage);
  ctx.stdout.write(formatRows(format, rows, () => (flagBool(parsed, 'verbose')
    ? verbose(usage)
    : renderTable(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], rows.map((r) => [r.Type, r.TotalCount, r.Active, r.Size, r.Reclaimable]))), DISK_USAGE_HEADER));
  return 0;
};

function withPercent(reclaimable: number, total: number): string {
  return total > 0 ? `${humanSize(reclaimable)} (${Math.floor((reclaimable * 100) / total)}%)` : humanSize(reclaimable);
}

export function summaryRows(u: DiskUsage) {
  const containersSize = u.containers.reduce((s, c) => s + c.sizeRw, 0);
  const containersReclaimable = u.containers.filter((c) => !c.running).reduce((s, c) => s + c.sizeRw, 0);
  const volumesSize = u.volumes.reduce((s, v) => s + v.size, 0);
  const volumesReclaimable = u.volumes.filter((v) => v.links === 0).reduce((s, v) => s + v.size, 0);
  const cacheSize = u.buildCache.reduce((s, b) => s + b.size, 0);
  const cacheReclaimable = u.buildCache.filter((b) => !b.inUse && !b.shared).reduce((s, b) => s + b.size, 0);
  return [
    { Type: 'Images', TotalCount: String(u.images.length), Active: String(u.images.filter((i) => i.containers > 0).length), Size: humanSize(u.layersSize), Reclaimable: withPercent(u.imagesReclaimable, u.layersSize) },
    { Type: 'Containers', TotalCount: String(u.containers.length), Active: String(u.containers.filter((c) => c.running).length), Size: humanSize(containersSize), Reclaimable: withPercent(containersReclaimable, containersSize) },
    { Type: 'Local Volumes', TotalCount: String(u.volumes.length), Active: String(u.volumes.filter((v) => v.links > 0).length), Size: humanSize(volumesSize), Reclaimable: withPercent(volumesReclaimable, volumesSize) },
    { Type: 'Build Cache', TotalCount: String(u.buildCache.length), Active: String(u.buildCache.filter((b) => b.inUse).length), Size: humanSize(cacheSize), Reclaimable: humanSize(cacheReclaimable) },
  ];
}

function verbose(u: DiskUsage): string {
  const now = new Date();
  const images = u.images.flatMap((i) => {
    const tags = i.repoTags.length ? i.repoTags : ['<none>:<none>'];
    return tags.map((t) => {
      const colon = t.lastIndexOf(':');
      return [t.slice(0, colon), t.slice(colon + 1), shortId(i.id), timeAgo(i.created, now), humanSize(i.size), humanSize(i.sharedSize), humanSize(i.uniqueSize), String(i.containers)];
    });
  });
  const containers = u.containers.map((c) => [shortId(c.id), c.image, psCommand(c.command, false), String(c.localVolumes), humanSize(c.sizeRw), timeAgo(c.created, now), c.status, c.name]);
  const volumes = u.volumes.map((v) => [v.name, String(v.links), humanSize(v.size)]);
  const cache = u.buildCache.map((b) => [b.id.slice(0, 12), 'regular', humanSize(b.size), timeAgo(b.lastUsed, now), timeAgo(b.lastUsed, now), String(b.inUse ? 1 : 0), String(b.shared)]);
  return [
    'Images space usage:\n\n',
    renderTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'], images),
    '\nContainers space usage:\n\n',
    renderTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'LOCAL VOLUMES', 'SIZE', 'CREATED', 'STATUS', 'NAMES'], containers),
    '\nLocal Volumes space usage:\n\n',
    renderTable(['VOLUME NAME', 'LINKS', 'SIZE'], volumes),
    `\nBuild cache usage: ${humanSize(u.buildCache.reduce((s, b) => s + b.size, 0))}\n\n`,
    renderTable(['CACHE ID', 'CACHE TYPE', 'SIZE', 'CREATED', 'LAST USED', 'USAGE', 'SHARED'], cache),
  ].join('');
}
