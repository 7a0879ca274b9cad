// Which component draws each pane (order and titles are in keymap.ts PANE_LIST).
import type { ComponentType } from 'react';
import type { PaneId } from '../keymap.js';
import { BuildPane } from './BuildPane.js';
import { ContainersPane } from './ContainersPane.js';
import { ImagesPane } from './ImagesPane.js';
import { LayersPane } from './LayersPane.js';
import { LogsPane } from './LogsPane.js';
import { NetworksPane } from './NetworksPane.js';
import { StatsPane } from './StatsPane.js';
import type { PaneProps } from './pane-props.js';
import { VolumesPane } from './VolumesPane.js';

export const PANE_COMPONENTS: Record<PaneId, ComponentType<PaneProps>> = {
  containers: ContainersPane,
  images: ImagesPane,
  logs: LogsPane,
  stats: StatsPane,
  layers: LayersPane,
  build: BuildPane,
  volumes: VolumesPane,
  networks: NetworksPane,
};
