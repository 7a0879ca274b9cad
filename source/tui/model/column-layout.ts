// Column widths for a table at a width, by priority: every column starts at the least it needs,
// columns the width cannot hold are dropped least important first, then the room left goes to
// the most important ones up to what their content needs (measured over the whole list, not the
// rows on screen, so widths do not jump while scrolling or filtering), and what remains is shared
// by the flexible ones. The widths and gaps never add up to more than the width.
export interface ColumnNeed {
  min: number; // narrower than this the column is not worth showing
  ideal: number; // what its title and its widest value take; 0: nothing to show (the column is left out)
  priority: number; // lower is kept and widened first
  grow: boolean; // takes a share of the room nobody needs
  spare?: boolean; // shown only when every more important column has all it needs (docker ps's ID beside the names)
}

export const GAP = 1;

/** The width of each column, 0 for a column left out. */
export function layoutColumns(needs: readonly ColumnNeed[], width: number): number[] {
  let widths = layoutShown(needs, width, needs.map((n) => n.ideal > 0));
  const byImportance = needs.map((_, i) => i).sort((a, b) => needs[a].priority - needs[b].priority || a - b);
  for (const i of [...byImportance].reverse()) {
    if (!needs[i].spare || widths[i] === 0) continue;
    const short = byImportance.slice(0, byImportance.indexOf(i)).some((j) => widths[j] > 0 && widths[j] < needs[j].ideal);
    if (short) widths = layoutShown(needs, width, widths.map((w, k) => w > 0 && k !== i));
  }
  return widths;
}

function layoutShown(needs: readonly ColumnNeed[], width: number, shownAtFirst: boolean[]): number[] {
  const shown = [...shownAtFirst];
  const minOf = (i: number) => Math.min(needs[i].min, needs[i].ideal);
  const used = () => needs.reduce((sum, _, i) => sum + (shown[i] ? minOf(i) : 0), 0) + GAP * Math.max(0, shown.filter(Boolean).length - 1);
  const byImportance = needs.map((_, i) => i).sort((a, b) => needs[a].priority - needs[b].priority || a - b);
  // drop the least important until the rest fit (the most important one always stays)
  for (let k = byImportance.length - 1; k > 0 && used() > width; k--) shown[byImportance[k]] = false;
  const widths = needs.map((_, i) => (shown[i] ? minOf(i) : 0));
  let room = Math.max(0, width - used());
  for (const i of byImportance) {
    if (!shown[i] || room === 0) continue;
    const more = Math.min(room, needs[i].ideal - widths[i]);
    widths[i] += more;
    room -= more;
  }
  const growing = byImportance.filter((i) => shown[i] && needs[i].grow);
  for (let g = 0; g < growing.length && room > 0; g++) {
    const share = Math.ceil(room / (growing.length - g));
    widths[growing[g]] += share;
    room -= share;
  }
  // one column alone wider than the table: cut it
  if (widths.filter((w) => w > 0).length === 1) return widths.map((w) => Math.min(w, width));
  return widths;
}
