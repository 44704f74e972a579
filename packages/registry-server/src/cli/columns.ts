/**
 * Lays out rows as left-aligned columns two spaces apart, the way Consul's CLI prints tables
 * (the last column is not padded).
 */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + (rows.length ? '\n' : '');
}
