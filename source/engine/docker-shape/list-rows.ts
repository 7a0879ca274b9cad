// Engine listings in the shapes docker prints (--format json rows), so scripts and templates
// written for docker (`{{.Names}}`) keep working. inspect's shapes: container-inspect.ts, image-inspect.ts.
import type { ContainerSummary, ImageSummary, StatsSample } from '../api.js';
import { psCommand, shortId } from './command.js';
import { psPorts } from './network-shape.js';
import { dockerTimestamp, timeAgo } from '../format/duration.js';
import { bytesSize, humanSize } from '../format/size.js';

// One row of `ps --format json`, with docker's field names; templates also get docker's
// method `{{.Label "k"}}` (not enumerable: neither JSON nor {{.}} shows it).
export function psRow(c: ContainerSummary, noTrunc: boolean, now: Date = new Date()) {
  const labels = c.labels ?? {};
  const row = {
    Command: psCommand(c.command, noTrunc),
    CreatedAt: dockerTimestamp(c.created),
    ID: noTrunc ? c.id : shortId(c.id),
    Image: c.image,
    Labels: Object.keys(labels).map((k) => `${k}=${labels[k]}`).sort().join(','),
    LocalVolumes: '0',
    Mounts: '',
    Names: c.name,
    Networks: [...(c.networks ?? [])].sort().join(','), // sorted, as podman's (docker's follows Go's map order)
    Ports: psPorts(c.ports),
    RunningFor: timeAgo(c.created, now),
    Size: '0B',
    State: c.status,
    Status: c.statusText,
  };
  const Label = Object.assign((name: string) => labels[name] ?? '', { params: ['string'] });
  return Object.defineProperty(row, 'Label', { value: Label, enumerable: false }) as typeof row & { Label(name: string): string };
}

// One row per tag (or a single <none> row), like `docker images`.
export function imageRows(images: ImageSummary[], noTrunc = false, now: Date = new Date()) {
  const rows = [];
  for (const img of images) {
    const tags = img.repoTags.length ? img.repoTags : ['<none>:<none>'];
    for (const ref of tags) {
      const colon = ref.lastIndexOf(':');
      const slash = ref.lastIndexOf('/');
      const [repository, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, '<none>'];
      rows.push({
        Containers: 'N/A',
        CreatedAt: dockerTimestamp(img.created),
        CreatedSince: timeAgo(img.created, now),
        Digest: img.repoDigests[0]?.split('@')[1] ?? '<none>',
        ID: noTrunc ? img.id : shortId(img.id),
        Repository: repository,
        SharedSize: 'N/A',
        Size: humanSize(img.size),
        Tag: tag,
        UniqueSize: 'N/A',
        VirtualSize: humanSize(img.size),
      });
    }
  }
  return rows;
}

export function statsRow(s: StatsSample, noTrunc = false) {
  const memPercent = s.memoryLimit > 0 ? (s.memoryUsage / s.memoryLimit) * 100 : 0;
  return {
    BlockIO: `${humanSize(s.blockRead)} / ${humanSize(s.blockWrite)}`,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    Container: noTrunc ? s.id : shortId(s.id),
    ID: noTrunc ? s.id : shortId(s.id),
    MemPerc: `${memPercent.toFixed(2)}%`,
    MemUsage: `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    Name: s.name,
    NetIO: `${humanSize(s.netRx)} / ${humanSize(s.netTx)}`,
    PIDs: String(s.pids),
  };
}
