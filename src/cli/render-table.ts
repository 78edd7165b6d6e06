// Plain aligned-column tables for terminals and pipes alike: a header row, a dashed rule, then one row per
// object; widths count code points so names in other scripts stay aligned.
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((row) => row.map(cellText));
  const width = (text: string) => [...text].length;
  const widths = headers.map((header, i) =>
    Math.max(width(header), ...cells.map((row) => width(row[i] ?? ''))),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** `show`: one row per field, as the openstack client prints a single object. */
export function renderFields(object: Record<string, unknown>): string {
  return renderTable(
    ['Field', 'Value'],
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}
