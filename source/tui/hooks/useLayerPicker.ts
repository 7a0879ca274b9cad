// The layer explorer's picker: the images and containers it can open, an image marked to be
// compared with the next one picked, and the image the images pane sends ("open in the layer explorer").
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigation } from '../contexts/navigation.js';
import { useStatus } from '../contexts/status.js';
import { sourceRows, type SourceRow } from '../model/layer-sources.js';
import { useContainerList, useImageList } from './useEngineList.js';
import type { LayerExplorer } from './useLayerExplorer.js';
import type { ActionHandlers } from './useKeymap.js';
import { useListCursor, type ListCursor } from './useListCursor.js';
import { useUptimeClock } from './useUptimeClock.js';

export interface LayerPicker {
  rows: SourceRow[];
  cursor: ListCursor;
  compareBase?: string; // the image marked to compare
  /** Opens the row under the cursor, or its comparison with the marked image. */
  openSelected(): void;
  handlers: ActionHandlers; // moving, compare, back (drops the mark)
}

export function useLayerPicker(explorer: LayerExplorer, active: boolean, height: number): LayerPicker {
  const nav = useNavigation();
  const { notify } = useStatus();
  const { images } = useImageList();
  const { containers } = useContainerList();
  const [compareBase, setCompareBase] = useState<string>();
  const now = useUptimeClock(containers, active && !explorer.source); // only while the picker shows
  const rows = useMemo(() => sourceRows(images, containers, compareBase, now), [images, containers, compareBase, now]);
  const cursor = useListCursor(rows, rowKey, height);
  const { open } = explorer;

  // The images pane's "open in the layer explorer" (and its selection when this pane is shown).
  const seenImage = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!active || !nav.image || nav.image.id === seenImage.current) return;
    seenImage.current = nav.image.id;
    open({ kind: 'image', ref: nav.image.ref });
  }, [active, nav.image, open]);

  // The containers pane's "open in the layer explorer".
  const seenExplore = useRef(0);
  useEffect(() => {
    if (!active || !nav.exploreRequest || nav.exploreRequest.seq === seenExplore.current) return;
    seenExplore.current = nav.exploreRequest.seq;
    open({ kind: 'container', ...nav.exploreRequest.container });
  }, [active, nav.exploreRequest, open]);

  const openSelected = () => {
    const row = rows[cursor.index];
    if (!row) return;
    if (compareBase && row.kind === 'image' && row.name !== compareBase) {
      open({ kind: 'compare', base: compareBase, other: row.name });
      setCompareBase(undefined);
    } else {
      open(row.source);
    }
  };

  const handlers: ActionHandlers = {
    ...cursor.handlers,
    compare: () => {
      const row = rows[cursor.index];
      if (row?.kind !== 'image') return notify('only images can be compared', 'error');
      setCompareBase(row.name === compareBase ? undefined : row.name);
      notify(row.name === compareBase ? 'compare cancelled' : `comparing with ${row.name}: pick the other image and press Enter`);
    },
    back: compareBase ? () => setCompareBase(undefined) : undefined,
  };
  return { rows, cursor, compareBase, openSelected, handlers };
}

function rowKey(row: SourceRow): string {
  return row.key;
}
