// Prints the failover benchmark's rows: per row the gap's median, min and max over its kills, the failed
// requests per kill without and with retry-once, and the median gap as a ratio of each anchor's from the same run.
import type { KillResult } from './failover-round.ts';

export type GapRow = Readonly<{ label: string; results: readonly KillResult[] }>;

const median = (sorted: readonly number[]) =>
  sorted.length === 0
    ? Number.NaN
    : sorted.length % 2 === 1
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function medianGap(row: GapRow): number {
  return median(ascending(row.results.flatMap((r) => (r.gapMs === undefined ? [] : [r.gapMs]))));
}

function gapCell(row: GapRow): string {
  const gaps = ascending(row.results.flatMap((r) => (r.gapMs === undefined ? [] : [r.gapMs])));
  const lost = row.results.length - gaps.length;
  const range =
    gaps.length === 0
      ? 'never resumed'
      : `${seconds(median(gaps))} (${seconds(gaps[0])}–${seconds(gaps.at(-1) ?? 0)})`;
  return lost === 0 ? range : `${range}; ${lost} of ${row.results.length} not resumed`;
}

function failedCell(row: GapRow, pick: (r: KillResult) => number): string {
  const counts = ascending(row.results.map(pick));
  return `${median(counts)} (${counts[0]}–${counts.at(-1)})`;
}

const ratio = (value: number, anchor: number) =>
  Number.isFinite(value) && Number.isFinite(anchor) && anchor > 0 ? `${(value / anchor).toFixed(1)}×` : '—';

/** The table; `floor` and `octavia` are the anchor rows the others are compared with. */
export function failoverTable(rows: readonly GapRow[], floor: GapRow, octavia: GapRow): string {
  const header = [
    'row',
    'gap: median (min–max)',
    'failed/kill, no retry',
    'failed/kill, retry-once',
    '÷ floor',
    '÷ Octavia',
  ];
  const lines = rows.map((row) => [
    row.label,
    gapCell(row),
    failedCell(row, (r) => r.failed),
    failedCell(row, (r) => r.failedWithRetry),
    ratio(medianGap(row), medianGap(floor)),
    ratio(medianGap(row), medianGap(octavia)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)].join('\n');
}
