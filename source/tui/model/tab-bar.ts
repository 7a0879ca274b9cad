// The tab bar at a width: the panes' titles as written when they fit, else the other panes'
// titles shortened, else their digits only; the store's path takes what is left (home as ~, its
// middle cut) and is left out rather than drawn over the tabs or shortening a title.
export const BRAND = 'strata ';
const PATH_MIN = 12;
const SHORT_TITLE = 4;

export interface TabBarLayout {
  labels: string[]; // one per pane, ` 1 Containers `
  path: string; // '' when it does not fit
}

/** A path in at most `width` columns: ~ for home, the middle cut with an ellipsis. */
export function shortenPath(path: string, width: number, home = ''): string {
  const tilde = home && home !== '/' && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
  if (tilde.length <= width) return tilde;
  if (width < 5) return '';
  const tail = Math.ceil((width - 1) * 0.6);
  const head = width - 1 - tail;
  return `${tilde.slice(0, head)}…${tilde.slice(tilde.length - tail)}`;
}

export function tabBarLayout(titles: readonly string[], active: number, width: number, path: string, home = ''): TabBarLayout {
  const label = (title: string, i: number) => ` ${i + 1}${title ? ` ${title}` : ''} `;
  const levels = [
    titles.map((t, i) => label(t, i)),
    titles.map((t, i) => label(i === active ? t : t.slice(0, SHORT_TITLE), i)),
    titles.map((t, i) => label(i === active ? t : '', i)),
  ];
  const sum = (labels: string[]) => BRAND.length + labels.reduce((n, l) => n + l.length, 0);
  const labels = levels.find((l) => sum(l) <= width) ?? levels[levels.length - 1];
  const room = width - sum(labels) - 1;
  return { labels, path: path && room >= PATH_MIN ? shortenPath(path, room, home) : '' };
}
