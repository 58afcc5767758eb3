/**
 * Go's text/tabwriter as kubectl uses it (no flags): a cell ends at a tab; the text after a line's
 * last tab belongs to no column. A column is as wide as its widest cell plus `padding`, measured
 * over the run of consecutive lines that have that column, so a line without tabs starts a new
 * block. `kubectl get` pads with 3 spaces, `kubectl describe` with 2; `minWidth` is the narrowest a
 * column may be, padding included (kubectl's printers ask for 6).
 *
 *   alignTabs('NAME\tREADY\tSTATUS\nweb-1\t1/1\tRunning\n', 3)
 *     // 'NAME    READY   STATUS\nweb-1   1/1     Running\n'
 */
export function alignTabs(text: string, padding: number, minWidth = 0): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[][] = lines.map(() => []);
  const columns = Math.max(0, ...lines.map((cells) => cells.length - 1));
  for (let col = 0; col < columns; col++) {
    let start = 0;
    while (start < lines.length) {
      if (lines[start]!.length - 1 <= col) {
        start++;
        continue;
      }
      let end = start;
      let width = minWidth;
      while (end < lines.length && lines[end]!.length - 1 > col) width = Math.max(width, displayWidth(lines[end++]![col]!) + padding);
      for (let i = start; i < end; i++) widths[i]![col] = width;
      start = end;
    }
  }
  return lines
    .map((cells, i) => cells.map((cell, col) => (col < cells.length - 1 ? cell + ' '.repeat(widths[i]![col]! - displayWidth(cell)) : cell)).join(''))
    .join('\n');
}

/** Characters, not UTF-16 units, as Go counts runes. */
function displayWidth(s: string): number {
  return [...s].length;
}
