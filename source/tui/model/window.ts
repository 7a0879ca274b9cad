// Windowing for long lists: which slice of rows is on screen so the cursor stays visible,
// scrolling as little as possible from where the window was.
export function windowStart(cursor: number, count: number, height: number, previousStart: number): number {
  if (height <= 0 || count <= height) return 0;
  let start = Math.min(previousStart, count - height);
  if (cursor < start) start = cursor;
  if (cursor >= start + height) start = cursor - height + 1;
  return Math.max(0, start);
}

/** Where the cursor lands after a selection changed: on the same id if it is still there, else near where it was. */
export function reselect<T>(rows: readonly T[], idOf: (row: T) => string, selectedId: string | undefined, previousIndex: number): number {
  if (rows.length === 0) return 0;
  if (selectedId !== undefined) {
    const at = rows.findIndex((r) => idOf(r) === selectedId);
    if (at !== -1) return at;
  }
  return Math.min(Math.max(0, previousIndex), rows.length - 1);
}
