// The command log's line for saving a file out of the layer explorer: `strata cp` where one
// does the same (a container's file as it is now; an image's top layer, through a container
// made and removed for it), else a shell comment saying what was saved, as no verb can.
import { cliCommand, shellQuote } from './cli-command.js';
import type { ExplorerSource } from './layer-sources.js';

export interface SaveRequest {
  source: ExplorerSource;
  layer: number; // the layer whose copy is saved (-1: the top)
  topLayer: number; // the index of the source's top layer
  path: string; // in the image: '/etc/passwd'
  dest: string; // on the host
}

export function saveCommand({ source, layer, topLayer, path, dest }: SaveRequest): string {
  const top = layer < 0 || layer === topLayer;
  if (source.kind === 'container' && top) return cliCommand('cp', `${source.name}:${path}`, dest);
  if (source.kind === 'image' && top) return `id=$(${cliCommand('create', source.ref)}) && ${cliCommand('cp')} "$id":${shellQuote(path)} ${shellQuote(dest)}; ${cliCommand('rm')} "$id"`;
  const from = source.kind === 'compare' ? source.other : source.kind === 'image' ? source.ref : source.name;
  return `# copy ${path} as layer ${layer} of ${from} holds it to ${dest} (no strata verb reads one layer)`;
}
