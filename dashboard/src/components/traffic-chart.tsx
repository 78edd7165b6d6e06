// A small line chart in plain SVG (no chart library) of one series of numbers over the last points, scaled to
// its largest value; the latest value is written beside it for those who cannot see the line.

const WIDTH = 240;
const HEIGHT = 60;

export function TrafficChart({ label, values, unit }: { label: string; values: number[]; unit: string }) {
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(HEIGHT - (v / top) * (HEIGHT - 4) - 2).toFixed(1)}`)
    .join(' ');
  const latest = values.at(-1) ?? 0;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`${label}: ${latest.toFixed(1)} ${unit}`}
      >
        <polyline points={points} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      <figcaption>
        {label}: <strong class="chart-value">{latest.toFixed(1)}</strong> {unit}
      </figcaption>
    </figure>
  );
}
