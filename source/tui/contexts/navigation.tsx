// Which pane is shown and which container the panes are about. The containers pane's
// selection is the container the logs and stats panes follow.
import React, { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { PANE_LIST as PANES, type PaneId } from '../keymap.js';
import { liveMarks } from '../model/batch.js';

export interface ContainerRef {
  id: string;
  name: string;
}

export interface Navigation {
  pane: PaneId;
  container?: ContainerRef;
  /** The pane whose cursor chose `container`: the other panes' cursors move to it, that one's stays. */
  containerChosenBy?: PaneId;
  show(pane: PaneId): void;
  cycle(step: 1 | -1): void;
  selectContainer(container: ContainerRef | undefined, by?: PaneId): void;
  /** The compose project whose header the containers pane's cursor is on: the logs pane merges its containers' logs. A container chosen clears it. */
  project?: ProjectRef;
  selectProject(project: ProjectRef | undefined): void;
  /** A container the containers pane should move its cursor to once it lists it. */
  pendingFocus?: string;
  focusContainer(id: string | undefined): void;
  /** Marked containers (space): the lifecycle keys act on them all, Enter shows their logs merged; empty means "the selected one". */
  marked: readonly ContainerRef[];
  toggleMark(container: ContainerRef): void;
  clearMarks(): void;
  /** Drops the marks of containers that no longer exist. */
  keepMarks(existing: ReadonlySet<string>): void;
  /** A container the layer explorer should open when it is shown next (seq tells requests apart). */
  exploreRequest?: { container: ContainerRef; seq: number };
  exploreContainer(container: ContainerRef): void;
  /** The image the images pane has selected (the layer explorer opens it). */
  image?: ImageRef;
  selectImage(image: ImageRef | undefined): void;
}

export interface ProjectRef {
  name: string;
  containers: readonly ContainerRef[];
}

const sameProject = (a: ProjectRef | undefined, b: ProjectRef | undefined) =>
  a?.name === b?.name && a?.containers.length === b?.containers.length && (a?.containers ?? []).every((c, i) => c.id === b?.containers[i].id && c.name === b?.containers[i].name);

export interface ImageRef {
  id: string;
  ref: string; // repo:tag, or the id when untagged
}

const NavigationContext = createContext<Navigation | undefined>(undefined);

export function NavigationProvider({ initialPane = 'containers', children }: { initialPane?: PaneId; children: React.ReactNode }) {
  const [pane, setPane] = useState<PaneId>(initialPane);
  const [chosen, setChosen] = useState<{ container?: ContainerRef; by?: PaneId }>({});
  const [pendingFocus, focusContainer] = useState<string>();
  const [marked, setMarked] = useState<readonly ContainerRef[]>([]);
  const [image, setImage] = useState<ImageRef>();
  const toggleMark = useCallback((c: ContainerRef) => setMarked((list) => (list.some((m) => m.id === c.id) ? list.filter((m) => m.id !== c.id) : [...list, c])), []);
  const clearMarks = useCallback(() => setMarked([]), []);
  const keepMarks = useCallback((existing: ReadonlySet<string>) => setMarked((list) => liveMarks(list, existing)), []);
  const [exploreRequest, setExploreRequest] = useState<{ container: ContainerRef; seq: number }>();
  const exploreContainer = useCallback((container: ContainerRef) => setExploreRequest((r) => ({ container, seq: (r?.seq ?? 0) + 1 })), []);
  const selectImage = useCallback((next: ImageRef | undefined) => setImage((current) => (current?.id === next?.id && current?.ref === next?.ref ? current : next)), []);
  const cycle = useCallback((step: 1 | -1) => setPane((current) => {
    const at = PANES.findIndex((p) => p.id === current);
    return PANES[(at + step + PANES.length) % PANES.length].id;
  }), []);
  const [project, setProject] = useState<ProjectRef>();
  const selectProject = useCallback((next: ProjectRef | undefined) => setProject((current) => (sameProject(current, next) ? current : next)), []);
  const selectContainer = useCallback((next: ContainerRef | undefined, by?: PaneId) => {
    setChosen((current) => (current.container?.id === next?.id && current.container?.name === next?.name ? current : { container: next, by }));
    if (next) setProject(undefined);
  }, []);
  const { container, by: containerChosenBy } = chosen;
  const value = useMemo(
    () => ({ pane, container, containerChosenBy, show: setPane, cycle, selectContainer, project, selectProject, pendingFocus, focusContainer, marked, toggleMark, clearMarks, keepMarks, exploreRequest, exploreContainer, image, selectImage }),
    [pane, container, containerChosenBy, cycle, selectContainer, project, selectProject, pendingFocus, marked, toggleMark, clearMarks, keepMarks, exploreRequest, exploreContainer, image, selectImage],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const nav = useContext(NavigationContext);
  if (!nav) throw new Error('useNavigation outside NavigationProvider');
  return nav;
}
