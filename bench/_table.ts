/** Plain-text table lines: the first column left-aligned, the others right-aligned. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    widths
      .map((w, i) => (i === 0 ? (r[i] ?? '').padEnd(w) : (r[i] ?? '').padStart(w)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => '  ' + l);
}
